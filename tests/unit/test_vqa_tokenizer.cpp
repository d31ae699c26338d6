#include <gtest/gtest.h>

#include "common/error.h"
#include "vqa/tokenizer.h"

namespace medvqa::vqa {
namespace {

using Words = std::vector<std::string>;

TokenizerConfig smallConfig(int maxLength = 32) {
  TokenizerConfig config;
  config.vocabulary = {"<pad>", "<unk>", "is", "there"};
  config.maxLength = maxLength;
  config.buckets = 2048;
  return config;
}

TEST(VqaTokenizer, Fnv1aMatchesPublishedVectors) {
  EXPECT_EQ(Tokenizer::fnv1a32(""), 0x811c9dc5u);
  EXPECT_EQ(Tokenizer::fnv1a32("a"), 0xe40c292cu);
  EXPECT_EQ(Tokenizer::fnv1a32("foobar"), 0xbf9cf968u);
}

TEST(VqaTokenizer, PunctuationAndCaseAreNormalisedAway) {
  EXPECT_EQ(Tokenizer::normalise("Is there a PLEURAL effusion?!", true), (Words{"is", "there", "a", "pleural", "effusion"}));
  EXPECT_EQ(Tokenizer::normalise("effusion,left-sided;  (small)", true), (Words{"effusion", "left", "sided", "small"}));
  EXPECT_EQ(Tokenizer::normalise("Is There", false), (Words{"Is", "There"}));
  EXPECT_TRUE(Tokenizer::normalise(" ?! ", true).empty());
}

TEST(VqaTokenizer, ContractionsAreExpanded) {
  EXPECT_EQ(Tokenizer::normalise("What's the size?", true), (Words{"what", "is", "the", "size"}));
  EXPECT_EQ(Tokenizer::normalise("Isn't there fluid?", true), (Words{"is", "not", "there", "fluid"}));
  EXPECT_EQ(Tokenizer::normalise("There's a nodule", true), (Words{"there", "is", "a", "nodule"}));
  EXPECT_EQ(Tokenizer::normalise("they're enlarged", true), (Words{"they", "are", "enlarged"}));
  EXPECT_EQ(Tokenizer::normalise("doesn't", true), (Words{"does", "not"}));
  // "'s" after anything but a pronoun or wh-word is a possessive: dropped.
  EXPECT_EQ(Tokenizer::normalise("the patient's heart", true), (Words{"the", "patient", "heart"}));
  EXPECT_EQ(Tokenizer::normalise("it's", true), (Words{"it", "is"}));
  // Typographic apostrophes as pasted from a report.
  EXPECT_EQ(Tokenizer::normalise("What\xE2\x80\x99s", true), (Words{"what", "is"}));
  // Quotes around a word are not part of it.
  EXPECT_EQ(Tokenizer::normalise("'left'", true), (Words{"left"}));
}

TEST(VqaTokenizer, EncodesWordsThenTrigramsAsDocumented) {
  const Tokenizer tokenizer(smallConfig(24));
  // Golden ids computed independently (Python) from docs/model-format.md: V = 4, buckets 2048.
  const std::vector<std::int64_t> expected = {2,   195, 181, 3,    307,  544, 1424, 717, 1070, 1,   88, 256,
                                              1996, 1241, 532, 190, 401, 1437, 1292, 0,    0,   0,   0,  0};
  EXPECT_EQ(tokenizer.encode("Is there effusions?"), expected);
  EXPECT_EQ(tokenizer.tokenCount(), 4 + 2048);
}

TEST(VqaTokenizer, UnknownWordsShareTrigramsWithKnownOnes) {
  const Tokenizer tokenizer(smallConfig());
  auto known = tokenizer.encode("effusion");
  auto misspelt = tokenizer.encode("effusions");
  ASSERT_EQ(known[0], 1);  // neither is in this vocabulary
  ASSERT_EQ(misspelt[0], 1);
  // "<ef" "eff" "ffu" "fus" "usi" "sio" "ion" are common; only the end differs.
  int shared = 0;
  for (std::size_t i = 1; i < 8; ++i) shared += known[i] == misspelt[i];
  EXPECT_EQ(shared, 7);
  EXPECT_NE(known[8], misspelt[8]);
}

TEST(VqaTokenizer, TruncatesAndPads) {
  const Tokenizer tokenizer(smallConfig(5));
  auto ids = tokenizer.encode("is there");  // 1 + 2 + 1 + 5 ids
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids[0], 2);
  EXPECT_EQ(ids[3], 3);
  EXPECT_EQ(tokenizer.encode(""), std::vector<std::int64_t>(5, 0));
  auto padded = Tokenizer(smallConfig(8)).encode("is");
  EXPECT_EQ((std::vector<std::int64_t>(padded.begin() + 3, padded.end())), std::vector<std::int64_t>(5, 0));
}

TEST(VqaTokenizer, ShortWordsAndOtherNgramSizes) {
  EXPECT_EQ(Tokenizer::ngrams("is", 3), (Words{"<is", "is>"}));
  EXPECT_EQ(Tokenizer::ngrams("a", 3), (Words{"<a>"}));
  EXPECT_EQ(Tokenizer::ngrams("a", 4), (Words{"<a>"}));
  EXPECT_EQ(Tokenizer::ngrams("lung", 2), (Words{"<l", "lu", "un", "ng", "g>"}));
}

TEST(VqaTokenizer, BuildVocabularyIsSortedAndDeterministic) {
  const std::vector<std::string> questions = {"Is there an effusion?", "Which side is the effusion on?"};
  const std::vector<std::string> reversed(questions.rbegin(), questions.rend());
  auto a = Tokenizer::buildVocabulary(questions);
  auto b = Tokenizer::buildVocabulary(reversed);
  const Words expected = {"<pad>", "<unk>", "an", "effusion", "is", "on", "side", "the", "there", "which"};
  EXPECT_EQ(a.config().vocabulary, expected);
  EXPECT_EQ(b.config().vocabulary, expected);
  EXPECT_EQ(a.encode("Is there an effusion?")[0], 4);
}

TEST(VqaTokenizer, RefusesBadConfigNamingTheField) {
  auto expectField = [](TokenizerConfig config, const std::string& field) {
    try {
      Tokenizer tokenizer(std::move(config));
      ADD_FAILURE() << "accepted a bad " << field;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::Config);
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  auto config = smallConfig();
  config.vocabulary = {"<unk>", "<pad>"};
  expectField(config, "tokenizer.vocabulary");
  config = smallConfig();
  config.vocabulary.push_back("is");
  expectField(config, "tokenizer.vocabulary[4]");
  config = smallConfig();
  config.maxLength = 0;
  expectField(config, "tokenizer.max_length");
  config = smallConfig();
  config.type = "bpe";
  expectField(config, "tokenizer.type");
}

}  // namespace
}  // namespace medvqa::vqa
