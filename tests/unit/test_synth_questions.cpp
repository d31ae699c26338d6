// The phrasing table: enough paraphrases per type, held-out ones present and flagged, ids stable.
#include <gtest/gtest.h>

#include <array>
#include <set>

#include "common/error.h"
#include "synth/findings.h"
#include "synth/question_templates.h"
#include "synth/study_questions.h"

using namespace medvqa::synth;

namespace {
constexpr std::array kAllTypes = {QuestionType::EffusionPresence, QuestionType::EffusionSide,  QuestionType::Cardiomegaly,
                                  QuestionType::Pneumothorax,     QuestionType::NoduleCount,   QuestionType::LiverLesion,
                                  QuestionType::LiverLesionCount, QuestionType::LiverLesionSize, QuestionType::KidneyLesion,
                                  QuestionType::KidneyLesionSide};
}

TEST(SynthQuestions, EveryTypeHasSixPhrasingsOfWhichTwoAreHeldOut) {
  std::set<int> ids;
  std::set<std::string_view> texts;
  for (const QuestionType type : kAllTypes) {
    const auto phrasings = phrasingsFor(type);
    int heldout = 0;
    for (const Phrasing* p : phrasings) {
      heldout += p->heldout ? 1 : 0;
      EXPECT_TRUE(ids.insert(p->id).second) << "duplicate id " << p->id;
      EXPECT_TRUE(texts.insert(p->text).second) << "duplicate text " << p->text;
      EXPECT_FALSE(p->text.empty());
    }
    EXPECT_GE(phrasings.size(), 6u) << toString(type);
    EXPECT_GE(heldout, 2) << toString(type);
    EXPECT_GE(static_cast<int>(phrasings.size()) - heldout, 4) << toString(type) << ": too few phrasings left to train on";
  }
  EXPECT_EQ(ids.size(), allPhrasings().size());
}

TEST(SynthQuestions, PhrasingIdsAreStable) {
  // Trained models and evaluation reports refer to these ids: renumbering must fail a test.
  ASSERT_NE(findPhrasing(1), nullptr);
  EXPECT_EQ(findPhrasing(1)->text, "Is there a pleural effusion?");
  EXPECT_EQ(findPhrasing(1)->type, QuestionType::EffusionPresence);
  ASSERT_NE(findPhrasing(21), nullptr);
  EXPECT_EQ(findPhrasing(21)->type, QuestionType::Cardiomegaly);
  ASSERT_NE(findPhrasing(81), nullptr);
  EXPECT_EQ(findPhrasing(81)->type, QuestionType::KidneyLesion);
  EXPECT_EQ(findPhrasing(0), nullptr);
}

TEST(SynthQuestions, HeldOutPhrasingsAreDrawnAndFlagged) {
  // Over 200 studies every phrasing of every type is drawn at least once, held-out ones included.
  std::set<int> drawn;
  for (unsigned i = 0; i < 200; ++i) {
    for (const QuestionAnswer& qa : questionsFor(drawChestFindings(9, i), 9, i)) drawn.insert(qa.phrasing->id);
    for (const QuestionAnswer& qa : questionsFor(drawCtFindings(9, i), 9, 1000 + i)) drawn.insert(qa.phrasing->id);
  }
  for (const Phrasing& p : allPhrasings()) EXPECT_TRUE(drawn.count(p.id)) << "never drawn: " << p.id << " " << p.text;
}

TEST(SynthQuestions, AnswersFollowTheFindings) {
  ChestFindings chest;
  chest.effusion = Side::Bilateral;
  chest.nodules = 3;
  chest.pneumothorax = Side::Left;
  EXPECT_EQ(answerFor(QuestionType::EffusionPresence, chest), "yes");
  EXPECT_EQ(answerFor(QuestionType::EffusionSide, chest), "bilateral");
  EXPECT_EQ(answerFor(QuestionType::Cardiomegaly, chest), "no");
  EXPECT_EQ(answerFor(QuestionType::Pneumothorax, chest), "yes");
  EXPECT_EQ(answerFor(QuestionType::NoduleCount, chest), "3");
  CtFindings ct;
  EXPECT_EQ(answerFor(QuestionType::LiverLesion, ct), "no");
  EXPECT_EQ(answerFor(QuestionType::LiverLesionCount, ct), "0");
  EXPECT_EQ(answerFor(QuestionType::LiverLesionSize, ct), "none");
  EXPECT_EQ(answerFor(QuestionType::KidneyLesionSide, ct), "none");
  ct.liverLesions = 2, ct.liverLesionSize = LesionSize::Medium, ct.kidneyLesion = Side::Right;
  EXPECT_EQ(answerFor(QuestionType::LiverLesion, ct), "yes");
  EXPECT_EQ(answerFor(QuestionType::LiverLesionSize, ct), "medium");
  EXPECT_EQ(answerFor(QuestionType::KidneyLesion, ct), "yes");
  EXPECT_EQ(answerFor(QuestionType::KidneyLesionSide, ct), "right");
  EXPECT_THROW(answerFor(QuestionType::LiverLesion, chest), medvqa::Error);
}
