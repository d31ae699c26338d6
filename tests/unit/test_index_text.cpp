// Normalisation shared by what the index stores and how keys are matched.

#include <gtest/gtest.h>

#include "index/date_time.h"
#include "index/text_match.h"

namespace medvqa::index_detail {
namespace {

TEST(IndexText, NormalizesDatesIncludingTheLegacyForm) {
  EXPECT_EQ(normalizeDate("20240131"), "20240131");
  EXPECT_EQ(normalizeDate("2024.01.31"), "20240131");
  EXPECT_EQ(normalizeDate(" 20240131 "), "20240131");
  EXPECT_FALSE(normalizeDate("2024013"));
  EXPECT_FALSE(normalizeDate("20241301"));
  EXPECT_FALSE(normalizeDate("2024-01-31"));
  EXPECT_FALSE(normalizeDate(""));
}

TEST(IndexText, TimeSpansCoverWhatThePrecisionLeavesOpen) {
  auto hour = timeSpan("10");
  ASSERT_TRUE(hour);
  EXPECT_EQ(hour->first, "100000.000000");
  EXPECT_EQ(hour->last, "105959.999999");
  auto minute = timeSpan("1030");
  ASSERT_TRUE(minute);
  EXPECT_EQ(minute->first, "103000.000000");
  EXPECT_EQ(minute->last, "103059.999999");
  auto second = timeSpan("103015");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->first, "103015.000000");
  EXPECT_EQ(second->last, "103015.999999");
  auto fraction = timeSpan("103015.25");
  ASSERT_TRUE(fraction);
  EXPECT_EQ(fraction->first, "103015.250000");
  EXPECT_EQ(fraction->last, "103015.259999");
  EXPECT_EQ(normalizeTime("10:30:15.5"), "103015.500000");
  EXPECT_EQ(normalizeTime("103015."), "103015.000000");
}

TEST(IndexText, RejectsWhatIsNotATime) {
  EXPECT_FALSE(timeSpan(""));
  EXPECT_FALSE(timeSpan("1"));
  EXPECT_FALSE(timeSpan("103"));
  EXPECT_FALSE(timeSpan("2500"));
  EXPECT_FALSE(timeSpan("1060"));
  EXPECT_FALSE(timeSpan("1030.5"));  // a fraction needs the seconds
  EXPECT_FALSE(timeSpan("103015.1234567"));
  EXPECT_FALSE(timeSpan("10a0"));
}

TEST(IndexText, UpperCasesUnicodeNotOnlyAscii) {
  EXPECT_EQ(toUpperUtf8("doe^john"), "DOE^JOHN");
  EXPECT_EQ(toUpperUtf8("Müller^Jörg"), "MÜLLER^JÖRG");
  EXPECT_EQ(toUpperUtf8("Ærøskøbing"), "ÆRØSKØBING");
  EXPECT_EQ(toUpperUtf8("αβγ^ивановa"), "ΑΒΓ^ИВАНОВA");
  EXPECT_EQ(toUpperUtf8("山田^太郎"), "山田^太郎");
  EXPECT_EQ(toUpperUtf8("a*?[]"), "A*?[]");
  EXPECT_EQ(toUpperUtf8(std::string("a\xFFz")), std::string("A\xFFZ"));  // invalid byte kept
}

TEST(IndexText, NormalizesPersonNames) {
  EXPECT_EQ(normalizePersonName("DOE^JOHN^^^"), "DOE^JOHN");
  EXPECT_EQ(normalizePersonName("DOE^JOHN=="), "DOE^JOHN");
  EXPECT_EQ(normalizePersonName("DOE^JOHN ^ "), "DOE^JOHN");
  EXPECT_EQ(normalizePersonName("Yamada^Tarou=山田^太郎^^=やまだ^たろう"),
            "Yamada^Tarou=山田^太郎=やまだ^たろう");
  EXPECT_EQ(normalizePersonName("=山田^太郎"), "=山田^太郎");
  EXPECT_EQ(normalizePersonName("^^"), "");
}

TEST(IndexText, GlobPatternsMatchBracketsLiterally) {
  EXPECT_EQ(wildcardToGlob("DOE*"), "DOE*");
  EXPECT_EQ(wildcardToGlob("A?[1]*"), "A?[[]1[]]*");
  EXPECT_TRUE(hasWildcard("D?E"));
  EXPECT_TRUE(hasWildcard("*"));
  EXPECT_FALSE(hasWildcard("[DOE]"));
}

TEST(IndexText, SplitsMultipleValues) {
  EXPECT_EQ(splitValues("CT\\MR"), (std::vector<std::string>{"CT", "MR"}));
  EXPECT_EQ(splitValues("CT"), (std::vector<std::string>{"CT"}));
  EXPECT_EQ(splitValues(""), (std::vector<std::string>{""}));
  EXPECT_EQ(splitValues("CT\\"), (std::vector<std::string>{"CT", ""}));
}

}  // namespace
}  // namespace medvqa::index_detail
