// The out-of-scope catalogue: many varied negatives, none of them one of our questions, stable ids,
// and held-out topics and wordings that training never sees.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "synth/out_of_scope_questions.h"
#include "synth/question_templates.h"
#include "vqa/question_router.h"
#include "vqa/tokenizer.h"

using namespace medvqa::synth;

namespace {

// The words of a question as the model's tokenizer sees them, joined by single spaces.
std::string wordsOf(std::string_view text) {
  std::string out;
  for (const auto& word : medvqa::vqa::Tokenizer::normalise(text, true)) out += (out.empty() ? "" : " ") + word;
  return out;
}

bool containsPhrase(const std::string& words, const std::string& phrase) {
  return (" " + words + " ").find(" " + phrase + " ") != std::string::npos;
}

constexpr std::array kCategories = {OutOfScopeCategory::ChestFinding, OutOfScopeCategory::OtherFinding,
                                    OutOfScopeCategory::Organ,        OutOfScopeCategory::Modality,
                                    OutOfScopeCategory::Device,       OutOfScopeCategory::Report,
                                    OutOfScopeCategory::NonMedical,   OutOfScopeCategory::Nonsense,
                                    OutOfScopeCategory::HardNegative};

}  // namespace

TEST(SynthOutOfScope, ThousandsOfItemsInEveryCategory) {
  const auto items = outOfScopeQuestions();
  EXPECT_GE(items.size(), 3000u);
  EXPECT_GE(outOfScopeTopics().size(), 250u);
  EXPECT_GE(outOfScopeWordings().size(), 300u);
  std::map<OutOfScopeCategory, std::size_t> perCategory;
  for (const auto& item : items) ++perCategory[item.category];
  for (const auto category : kCategories) EXPECT_GE(perCategory[category], 100u) << toString(category);
}

TEST(SynthOutOfScope, IdsAreStableAndDeterministic) {
  // Truth files and evaluation reports refer to these ids: changing one must fail a test.
  const auto text = [](int id) {
    const OutOfScopeQuestion* q = findOutOfScopeQuestion(id);
    return q ? q->text : std::string("<none>");
  };
  EXPECT_EQ(text(1 * 10000 + 1), "Is there consolidation?");
  EXPECT_EQ(text(4 * 10000 + 11), "How many rib fractures are there?");
  EXPECT_EQ(text(201 * 10000 + 101), "Is the spleen enlarged?");
  EXPECT_EQ(text(291 * 10000 + 204), "Is there FDG uptake in the liver?");
  EXPECT_EQ(text(1101 * 10000 + 1301), "Is the liver enlarged?");
  EXPECT_EQ(text(1104 * 10000 + 1313), "Is there a fracture of the left femur?");
  EXPECT_EQ(text(1001 * 10000 + 1001), "Describe the findings.");
  EXPECT_EQ(text(1041 * 10000 + 1201), "What is the weather today?");
  // Nonsense comes from a fixed seed, the same on every build and platform.
  EXPECT_EQ(text(2001 * 10000 + 601), "zxcvb qwe?");
  EXPECT_EQ(findOutOfScopeQuestion(291 * 10000 + 101), nullptr) << "our organs take the modality templates only";
  EXPECT_EQ(findOutOfScopeQuestion(0), nullptr);

  int previous = 0;
  for (const auto& item : outOfScopeQuestions()) {
    EXPECT_GT(item.id, previous) << "ids are sorted and unique";
    previous = item.id;
    EXPECT_EQ(item.id, item.topic * 10000 + item.wording);
    EXPECT_EQ(findOutOfScopeQuestion(item.id), &item);
    const OutOfScopeTopic* topic = findOutOfScopeTopic(item.topic);
    const OutOfScopeWording* wording = findOutOfScopeWording(item.wording);
    ASSERT_NE(topic, nullptr) << item.id;
    ASSERT_NE(wording, nullptr) << item.id;
    EXPECT_EQ(item.heldout, topic->heldout || wording->heldout) << item.id << " " << item.text;
    if (item.category != OutOfScopeCategory::Modality) {
      EXPECT_EQ(item.category, topic->category) << item.text;
    }
  }
}

TEST(SynthOutOfScope, AQuarterOfTopicsAndWordingsIsHeldOut) {
  std::map<OutOfScopeCategory, std::pair<int, int>> topics;  // held out, all
  for (const auto& t : outOfScopeTopics()) {
    topics[t.category].first += t.heldout ? 1 : 0;
    ++topics[t.category].second;
  }
  int heldTopics = 0, allTopics = 0;
  for (const auto& [category, counts] : topics) {
    const double share = double(counts.first) / counts.second;
    if (category != OutOfScopeCategory::Modality) {  // its topics are the organs' (Organ) plus six
      EXPECT_GE(share, 0.15) << toString(category);
      EXPECT_LE(share, 0.35) << toString(category);
    }
    heldTopics += counts.first, allTopics += counts.second;
  }
  EXPECT_NEAR(double(heldTopics) / allTopics, 0.25, 0.05);

  int heldWordings = 0;
  for (const auto& w : outOfScopeWordings()) heldWordings += w.heldout ? 1 : 0;
  EXPECT_NEAR(double(heldWordings) / outOfScopeWordings().size(), 0.25, 0.05);

  // An item is held out when its topic or its wording is: about 1 - 0.75 * 0.75 of them.
  int heldItems = 0;
  for (const auto& item : outOfScopeQuestions()) heldItems += item.heldout ? 1 : 0;
  const double share = double(heldItems) / outOfScopeQuestions().size();
  EXPECT_GE(share, 0.35);
  EXPECT_LE(share, 0.55);
  // Enough left to train on in every category.
  std::map<OutOfScopeCategory, int> training;
  for (const auto& item : outOfScopeQuestions()) training[item.category] += item.heldout ? 0 : 1;
  for (const auto category : kCategories) EXPECT_GE(training[category], 50) << toString(category);
}

TEST(SynthOutOfScope, HeldOutTopicsAndWordingsNeverReachTraining) {
  std::set<int> trainingTopics, trainingWordings;
  std::vector<std::string> trainingWords;
  for (const auto& item : outOfScopeQuestions()) {
    if (item.heldout) continue;
    trainingTopics.insert(item.topic);
    trainingWordings.insert(item.wording);
    trainingWords.push_back(wordsOf(item.text));
  }
  for (const auto& t : outOfScopeTopics()) {
    if (!t.heldout) continue;
    EXPECT_FALSE(trainingTopics.count(t.id)) << t.name;
    // A held-out finding, organ, device or study is not named by any training item either, under
    // another topic ("hip fracture" held out while "Is there a fracture of the hip?" trains).
    if (t.id >= 1000) continue;  // free-form and nonsense topics are labels, not words of the items
    const std::string name = wordsOf(t.name);
    for (const auto& words : trainingWords) EXPECT_FALSE(containsPhrase(words, name)) << t.name << " in: " << words;
  }
  for (const auto& w : outOfScopeWordings()) {
    if (w.heldout) {
      EXPECT_FALSE(trainingWordings.count(w.id)) << w.text;
    }
  }
}

TEST(SynthOutOfScope, NoDuplicatesAndNothingWeAnswer) {
  std::set<std::string> inScope;
  for (const Phrasing& p : allPhrasings()) inScope.insert(wordsOf(p.text));
  const auto router = medvqa::vqa::QuestionRouter::defaults();
  std::set<std::string> seen;
  for (const auto& item : outOfScopeQuestions()) {
    const std::string words = wordsOf(item.text);
    ASSERT_FALSE(words.empty()) << item.id << ": empty after normalisation is bad input, not a question";
    EXPECT_TRUE(seen.insert(words).second) << "duplicate: " << item.text;
    EXPECT_FALSE(inScope.count(words)) << "one of our phrasings: " << item.text;
    // The header router answers these from the DICOM header; they never reach the model.
    EXPECT_EQ(router.route(item.text), std::nullopt) << "a header question: " << item.text;
  }
}

TEST(SynthOutOfScope, EveryItemFitsTheDemoTokenLength) {
  // medvqa prepare encodes questions to 96 ids (words + their trigrams); a longer item would be cut.
  for (const auto& item : outOfScopeQuestions()) {
    std::size_t ids = 0;
    for (const auto& word : medvqa::vqa::Tokenizer::normalise(item.text, true))
      ids += 1 + medvqa::vqa::Tokenizer::ngrams(word, 3).size();
    EXPECT_LE(ids, 96u) << item.text;
  }
}

TEST(SynthOutOfScope, CategoryNames) {
  std::set<std::string_view> names;
  for (const auto category : kCategories) EXPECT_TRUE(names.insert(toString(category)).second);
  EXPECT_EQ(toString(OutOfScopeCategory::HardNegative), "hard_negative");
}
