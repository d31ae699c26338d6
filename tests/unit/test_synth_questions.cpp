// The phrasing table: enough paraphrases per type, held-out ones present and flagged, ids stable.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>
#include <string>

#include "common/error.h"
#include "synth/findings.h"
#include "synth/question_templates.h"
#include "synth/study_questions.h"
#include "vqa/tokenizer.h"

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

namespace {

// The words of a phrasing with start and end marks, as the tokenizer splits them.
std::vector<std::string> markedWords(std::string_view text) {
  std::vector<std::string> out{"^"};
  for (auto& word : medvqa::vqa::Tokenizer::normalise(text, true)) out.push_back(std::move(word));
  out.push_back("$");
  return out;
}

}  // namespace

TEST(SynthQuestions, ClosedTypesHaveInversePhrasingsSomeHeldOut) {
  for (const QuestionType type : kAllTypes) {
    int inverse = 0, inverseHeldOut = 0;
    for (const Phrasing* p : phrasingsFor(type)) {
      inverse += p->inverse ? 1 : 0;
      inverseHeldOut += p->inverse && p->heldout ? 1 : 0;
    }
    if (!isClosed(type)) {
      EXPECT_EQ(inverse, 0) << toString(type) << ": only a yes/no question can be asked the other way round";
      continue;
    }
    EXPECT_GE(inverse, 5) << toString(type);
    EXPECT_EQ(inverseHeldOut, 2) << toString(type);
  }
}

TEST(SynthQuestions, HeldOutPhrasingsUseWordsOrOrdersTrainingDoesNot) {
  // Per type, the words and word pairs (with start and end marks) of its training phrasings.
  std::map<QuestionType, std::set<std::string>> words, pairs;
  for (const Phrasing& p : allPhrasings()) {
    if (p.heldout) continue;
    const auto w = markedWords(p.text);
    for (std::size_t i = 0; i < w.size(); ++i) {
      words[p.type].insert(w[i]);
      if (i + 1 < w.size()) pairs[p.type].insert(w[i] + " " + w[i + 1]);
    }
  }
  for (const Phrasing& p : allPhrasings()) {
    if (!p.heldout) continue;
    const auto w = markedWords(p.text);
    bool newPair = false, newWord = false;
    for (std::size_t i = 0; i < w.size(); ++i) {
      newWord = newWord || !words[p.type].count(w[i]);
      if (i + 1 < w.size()) newPair = newPair || !pairs[p.type].count(w[i] + " " + w[i + 1]);
    }
    EXPECT_TRUE(newPair) << p.id << " " << p.text << ": its word order is trained on";
    // An inverse held-out phrasing has a word its type never trains with ("absent", "excluded").
    if (p.inverse) {
      EXPECT_TRUE(newWord) << p.id << " " << p.text;
    }
  }
}

TEST(SynthQuestions, CanonicalPhrasingIsTheFirstDirectTrainedOne) {
  for (const QuestionType type : kAllTypes) {
    const Phrasing& p = canonicalPhrasing(type);
    EXPECT_EQ(p.id, 10 * static_cast<int>(type) + 1);
    EXPECT_EQ(p.type, type);
    EXPECT_FALSE(p.inverse);
    EXPECT_FALSE(p.heldout);
  }
  EXPECT_EQ(canonicalPhrasing(QuestionType::Cardiomegaly).text, "Is there cardiomegaly?");
  EXPECT_EQ(findPhrasing(120)->text, "Is the heart normal in size?");
  EXPECT_TRUE(findPhrasing(120)->inverse);
}

TEST(SynthQuestions, InversePhrasingsFlipTheAnswer) {
  EXPECT_EQ(flipYesNo("yes"), "no");
  EXPECT_EQ(flipYesNo("no"), "yes");
  EXPECT_EQ(flipYesNo("left"), "left");
  EXPECT_EQ(answerAsAsked(*findPhrasing(120), "yes"), "no");  // heart enlarged: "normal in size?" no
  EXPECT_EQ(answerAsAsked(*findPhrasing(21), "yes"), "yes");

  int inverseSeen = 0;
  for (unsigned i = 0; i < 100; ++i) {
    const ChestFindings chest = drawChestFindings(3, i);
    for (const QuestionAnswer& qa : questionsFor(chest, 3, 2 * i)) {
      const std::string typeAnswer = answerFor(qa.phrasing->type, chest);
      EXPECT_EQ(qa.expect, Expect::Answered);
      EXPECT_EQ(qa.answer, qa.phrasing->inverse ? std::string(flipYesNo(typeAnswer)) : typeAnswer) << qa.phrasing->text;
      EXPECT_EQ(typeAnswerOf(qa), typeAnswer);
      inverseSeen += qa.inverse() ? 1 : 0;
    }
    const CtFindings ct = drawCtFindings(3, i);
    for (const QuestionAnswer& qa : questionsFor(ct, 3, 2 * i + 1)) {
      const std::string typeAnswer = answerFor(qa.phrasing->type, ct);
      EXPECT_EQ(qa.answer, qa.phrasing->inverse ? std::string(flipYesNo(typeAnswer)) : typeAnswer) << qa.phrasing->text;
      EXPECT_EQ(typeAnswerOf(qa), typeAnswer);
      inverseSeen += qa.inverse() ? 1 : 0;
    }
  }
  EXPECT_GT(inverseSeen, 100);  // about a third of the closed questions of 200 studies
}

TEST(SynthQuestions, EveryStudyAlsoGetsOutOfScopeAndNotApplicableQuestions) {
  std::set<int> outOfScopeSeen;
  int heldOutItems = 0;
  for (unsigned i = 0; i < 200; ++i) {
    const bool chest = i % 2 == 0;
    const auto all = chest ? studyQuestionsFor(drawChestFindings(9, i / 2), 9, i) : studyQuestionsFor(drawCtFindings(9, i / 2), 9, i);
    const StudyKind kind = chest ? StudyKind::Chest : StudyKind::Ct;
    ASSERT_EQ(all.size(), typesFor(kind).size() + kOutOfScopePerStudy + kNotApplicablePerStudy);
    std::set<int> items;
    int unsupported = 0, notApplicable = 0;
    for (std::size_t q = 0; q < all.size(); ++q) {
      const QuestionAnswer& qa = all[q];
      if (q < typesFor(kind).size()) {
        EXPECT_EQ(qa.expect, Expect::Answered);
        EXPECT_EQ(kindOf(qa.phrasing->type), kind);
        continue;
      }
      EXPECT_TRUE(qa.answer.empty()) << "a refusal has no answer";
      if (qa.expect == Expect::Unsupported) {
        ++unsupported;
        ASSERT_NE(qa.outOfScope, nullptr);
        EXPECT_EQ(qa.phrasing, nullptr);
        EXPECT_EQ(qa.text(), qa.outOfScope->text);
        EXPECT_EQ(qa.id(), qa.outOfScope->id);
        EXPECT_TRUE(items.insert(qa.id()).second) << "the same out-of-scope question twice in one study";
        outOfScopeSeen.insert(qa.id());
        heldOutItems += qa.heldout() ? 1 : 0;
      } else {
        ++notApplicable;
        EXPECT_EQ(qa.expect, Expect::NotApplicable);
        ASSERT_NE(qa.phrasing, nullptr);
        EXPECT_NE(kindOf(qa.phrasing->type), kind) << "a not-applicable question is of the other kind";
      }
    }
    EXPECT_EQ(unsupported, static_cast<int>(kOutOfScopePerStudy));
    EXPECT_EQ(notApplicable, static_cast<int>(kNotApplicablePerStudy));
  }
  // Drawn among the whole catalogue, held-out items included.
  EXPECT_GE(outOfScopeSeen.size(), 500u);
  EXPECT_GT(heldOutItems, 150);
  EXPECT_LT(heldOutItems, 400);
  // Deterministic.
  const auto a = refusalsFor(StudyKind::Chest, 4, 17), b = refusalsFor(StudyKind::Chest, 4, 17);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t q = 0; q < a.size(); ++q) EXPECT_EQ(a[q].id(), b[q].id());
}

TEST(SynthQuestions, ExpectNames) {
  EXPECT_EQ(toString(Expect::NotApplicable), "not_applicable");
  EXPECT_EQ(parseExpect("unsupported"), Expect::Unsupported);
  EXPECT_EQ(parseExpect("answered"), Expect::Answered);
  EXPECT_EQ(parseExpect("refused"), std::nullopt);
}
