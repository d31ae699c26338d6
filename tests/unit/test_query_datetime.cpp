// C-FIND matching added for date-times (PS3.4 C.2.2.2.5): DT range matching on
// AcquisitionDateTime with UTC offsets, combined DA/TM range matching when the SCU negotiated it,
// and sequence keys (C.2.2.2.6), which the index cannot match and must say so.

#include <dcmtk/dcmdata/dcsequen.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <time.h>

#include <optional>

#include "common/error.h"
#include "db/sqlite.h"
#include "index/date_time.h"
#include "index/index.h"
#include "test_index_fixtures.h"

namespace medvqa {
namespace {

using index_detail::dateTimeSpan;
using index_detail::utcOffsetMinutes;
using index_test::findAll;
using index_test::identifier;
using index_test::Spec;
using index_test::valueOf;
using index_test::valuesOf;
using Values = std::multiset<std::string>;

// Sets TZ for the test's lifetime: values without an offset are read in the node's local zone.
class LocalZone {
 public:
  explicit LocalZone(const char* tz) {
    if (const char* old = getenv("TZ")) previous_ = old;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~LocalZone() {
    if (previous_) {
      setenv("TZ", previous_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  LocalZone(const LocalZone&) = delete;
  LocalZone& operator=(const LocalZone&) = delete;

 private:
  std::optional<std::string> previous_;
};

// --- The DT value itself ---

TEST(QueryDateTimeValue, AValueSpansWhatItsPrecisionLeavesOpenOrIsRefused) {
  const auto year = dateTimeSpan("2024", 0);
  ASSERT_TRUE(year);
  EXPECT_EQ(year->first, "20240101000000.000000");
  EXPECT_EQ(year->last, "20241231235959.999999");
  EXPECT_EQ(dateTimeSpan("202402", 0)->last, "20240229235959.999999");  // a leap year's February
  EXPECT_EQ(dateTimeSpan("202302", 0)->last, "20230228235959.999999");
  EXPECT_EQ(dateTimeSpan("2024013110", 0)->last, "20240131105959.999999");
  const auto fraction = dateTimeSpan("20240131103000.5", 0);
  EXPECT_EQ(fraction->first, "20240131103000.500000");
  EXPECT_EQ(fraction->last, "20240131103000.599999");
  for (const char* bad : {"", "202", "20241", "20241301", "20240230", "2024013124", "20240131106000", "2024.01.31",
                          "20240131103000.1234567", "202401311030+1500", "202401311030+01", "2024013110.5", "abcd"}) {
    EXPECT_FALSE(dateTimeSpan(bad, 0)) << bad;
  }
}

TEST(QueryDateTimeValue, OffsetsAreTakenIntoAccountElseTheLocalZone) {
  // 10:30 at UTC+01:00 is 09:30 UTC; at UTC-05:00 it is 15:30 UTC; across midnight and a year end.
  EXPECT_EQ(dateTimeSpan("202401311030+0100", std::nullopt)->first, "20240131093000.000000");
  EXPECT_EQ(dateTimeSpan("202401311030-0500", std::nullopt)->first, "20240131153000.000000");
  EXPECT_EQ(dateTimeSpan("202312312330-0100", std::nullopt)->first, "20240101003000.000000");
  // Without a suffix the given default applies (the data set's or query's Timezone Offset From UTC).
  EXPECT_EQ(dateTimeSpan("202401311030", 60)->first, "20240131093000.000000");
  EXPECT_EQ(dateTimeSpan("202401311030+0000", 60)->first, "20240131103000.000000");
  EXPECT_EQ(utcOffsetMinutes("-0530"), -330);
  EXPECT_EQ(utcOffsetMinutes("+1400"), 840);
  EXPECT_FALSE(utcOffsetMinutes("+0160"));
  EXPECT_FALSE(utcOffsetMinutes("0100"));
  // Without any offset, the node's local time zone.
  const LocalZone cet("CET-1");  // UTC+1 all year (a POSIX zone: no tzdata needed)
  EXPECT_EQ(dateTimeSpan("202401311030", std::nullopt)->first, "20240131093000.000000");
  const LocalZone utc("UTC0");
  EXPECT_EQ(dateTimeSpan("202401311030", std::nullopt)->first, "20240131103000.000000");
}

// --- Matching against the index ---

// Four CT images of one series; three carry an AcquisitionDateTime (one with an offset suffix,
// one with the data set's Timezone Offset From UTC), one has none.
//   1.1  20240131103000          (UTC in these tests)
//   1.2  20240131113000+0100     = 10:30 UTC
//   1.3  20240201080000, data set offset -0500 = 13:00 UTC
//   1.4  no AcquisitionDateTime
class QueryDateTime : public ::testing::Test {
 protected:
  void SetUp() override {
    putImage("1.1", "20240131103000", "");
    putImage("1.2", "20240131113000+0100", "");
    putImage("1.3", "20240201080000", "-0500");
    putImage("1.4", "", "");
  }

  void putImage(const std::string& sop, const std::string& acquired, const std::string& offset) {
    Spec s;
    s.sopUid = "1.2.3.1.1." + sop;
    auto ds = index_test::makeDataset(s);
    if (!acquired.empty()) ds->putAndInsertString(DCM_AcquisitionDateTime, acquired.c_str());
    if (!offset.empty()) ds->putAndInsertString(DCM_TimezoneOffsetFromUTC, offset.c_str());
    index_.put(recordFromDataset(*ds, index_test::kExplicitLittleEndian, "i/" + sop, 10), DuplicatePolicy::Overwrite);
  }

  // The SOP Instance UIDs (last component) an IMAGE query with these keys matches.
  Values images(std::initializer_list<std::pair<DcmTagKey, std::string>> keys) {
    auto q = identifier("IMAGE", keys);
    q->insertEmptyElement(DCM_SOPInstanceUID);
    Values out;
    for (const auto& uid : valuesOf(findAll(index_, QueryModel::StudyRoot, *q), DCM_SOPInstanceUID)) {
      out.insert(uid.substr(uid.rfind('.') + 1));
    }
    return out;
  }
  Values acquired(const std::string& value) { return images({{DCM_AcquisitionDateTime, value}}); }

  LocalZone utc_{"UTC0"};
  index_test::TempDir dir_;
  Index index_{dir_.path() / "index.db"};
};

TEST_F(QueryDateTime, ValuesAndRangesMatchTheSpansTheyName) {
  EXPECT_EQ(acquired("20240131"), (Values{"1", "2"}));
  EXPECT_EQ(acquired("202401311030"), (Values{"1", "2"}));  // 1.2 is the same instant, written at +0100
  EXPECT_EQ(acquired("202402"), Values{"3"});
  EXPECT_EQ(acquired("2024"), (Values{"1", "2", "3"}));
  // Ranges: inclusive, open at a missing end.
  EXPECT_EQ(acquired("20240131103000-20240131130000"), (Values{"1", "2"}));
  EXPECT_EQ(acquired("20240201-"), Values{"3"});
  EXPECT_EQ(acquired("-202401311030"), (Values{"1", "2"}));  // up to the end of that minute
  EXPECT_EQ(acquired("-"), (Values{"1", "2", "3", "4"}));    // every value, and none: universal
  EXPECT_EQ(acquired(""), (Values{"1", "2", "3", "4"}));
  // Responses carry the value as received.
  auto q = identifier("IMAGE", {{DCM_SOPInstanceUID, "1.2.3.1.1.1.2"}, {DCM_AcquisitionDateTime, ""}});
  auto rs = findAll(index_, QueryModel::StudyRoot, *q);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(valueOf(*rs[0], DCM_AcquisitionDateTime), "20240131113000+0100");
}

TEST_F(QueryDateTime, OffsetsInTheQueryAndInTheDataSetAreTakenIntoAccount) {
  // 1.3 was taken at 08:00 at UTC-05:00: 14:00 at UTC+01:00 is the same instant.
  EXPECT_EQ(acquired("202402011400+0100"), Values{"3"});
  EXPECT_EQ(acquired("202402010700-0600"), Values{"3"});
  // A negative offset in a range: the '-' that splits the range is the one between two date-times.
  EXPECT_EQ(acquired("202402010000-0500-202402012359-0500"), Values{"3"});
  EXPECT_EQ(acquired("202401310000-0500-"), (Values{"1", "2", "3"}));
  // The query's Timezone Offset From UTC (0008,0201) applies to its values without a suffix.
  EXPECT_EQ(images({{DCM_TimezoneOffsetFromUTC, "-0500"}, {DCM_AcquisitionDateTime, "202402010800"}}), Values{"3"});
  EXPECT_EQ(images({{DCM_TimezoneOffsetFromUTC, "+0100"}, {DCM_AcquisitionDateTime, "202401311130"}}),
            (Values{"1", "2"}));
}

TEST_F(QueryDateTime, MalformedOrAmbiguousValuesAreInvalidArguments) {
  for (const char* bad : {"2024013", "20240131-2024013", "2024-0500-0600", "x-", "20240231"}) {
    auto q = identifier("IMAGE", {{DCM_AcquisitionDateTime, bad}});
    try {
      findAll(index_, QueryModel::StudyRoot, *q);
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::InvalidArgument) << bad;
      EXPECT_NE(std::string(e.what()).find("AcquisitionDateTime"), std::string::npos) << e.what();
    }
  }
  auto offset = identifier("IMAGE", {{DCM_TimezoneOffsetFromUTC, "CET"}, {DCM_AcquisitionDateTime, "2024"}});
  EXPECT_THROW(findAll(index_, QueryModel::StudyRoot, *offset), Error);
}

// --- Combined date and time matching (negotiated) ---

// Five studies around the standard's own example, July 5 to 7, 10:00 to 18:00.
class QueryCombinedDateTime : public ::testing::Test {
 protected:
  void SetUp() override {
    putStudy("1", "20060705", "0900");
    putStudy("2", "20060706", "0800");
    putStudy("3", "20060707", "1700");
    putStudy("4", "20060707", "1900");
    putStudy("5", "20060705", "2000");
    putStudy("6", "20060706", "");  // a date, no time
  }

  void putStudy(const std::string& n, const std::string& date, const std::string& time) {
    Spec s;
    s.studyUid = "1.9." + n;
    s.seriesUid = s.studyUid + ".1";
    s.sopUid = s.seriesUid + ".1";
    s.studyDate = date;
    s.studyTime = time;
    index_.put(index_test::makeRecord(s), DuplicatePolicy::Overwrite);
  }

  Values studies(const std::string& date, const std::string& time, bool combined) {
    auto q = identifier("STUDY", {{DCM_StudyDate, date}, {DCM_StudyTime, time}, {DCM_StudyInstanceUID, ""}});
    std::vector<std::unique_ptr<DcmDataset>> rs;
    index_.find(
        QueryModel::StudyRoot, *q,
        [&](DcmDataset& match) {
          rs.push_back(std::make_unique<DcmDataset>(match));
          return true;
        },
        FindOptions{combined});
    Values out;
    for (const auto& uid : valuesOf(rs, DCM_StudyInstanceUID)) out.insert(uid.substr(4));
    return out;
  }

  index_test::TempDir dir_;
  Index index_{dir_.path() / "index.db"};
};

TEST_F(QueryCombinedDateTime, NegotiatedRangesOfTheSameFormAreOneDateTimeRange) {
  // PS3.4 C.2.2.2.5's example: July 5, 10:00 until July 7, 18:00 (that minute included).
  EXPECT_EQ(studies("20060705-20060707", "1000-1800", true), (Values{"2", "3", "5"}));
  EXPECT_EQ(studies("20060706-", "1000-", true), (Values{"3", "4"}));  // not July 6, 08:00
  EXPECT_EQ(studies("-20060705", "-0900", true), Values{"1"});
  // Different forms, or one of them no range: each key on its own, as the standard says.
  EXPECT_EQ(studies("20060705-20060707", "1000-", true), (Values{"3", "4", "5"}));
  EXPECT_EQ(studies("20060707", "1000-1800", true), Values{"3"});
  EXPECT_EQ(studies("20060706-20060707", "", true), (Values{"2", "3", "4", "6"}));
}

TEST_F(QueryCombinedDateTime, WithoutNegotiationDateAndTimeMatchSeparately) {
  // 10:00 to 18:00 on each of the three days.
  EXPECT_EQ(studies("20060705-20060707", "1000-1800", false), Values{"3"});
}

// --- Sequence keys ---

class QuerySequenceKeys : public ::testing::Test {
 protected:
  void SetUp() override {
    Spec a;
    index_.put(index_test::makeRecord(a), DuplicatePolicy::Overwrite);
    a.studyUid = "1.2.3.2";
    a.seriesUid = "1.2.3.2.1";
    a.sopUid = "1.2.3.2.1.1";
    index_.put(index_test::makeRecord(a), DuplicatePolicy::Overwrite);
  }

  // The responses of a query, and in `ignored` the keys it reports as not matched on.
  std::vector<std::unique_ptr<DcmDataset>> run(const DcmDataset& query, std::vector<std::string>& ignored) {
    std::vector<std::unique_ptr<DcmDataset>> out;
    const auto collect = [&](DcmDataset& match) {
      out.push_back(std::make_unique<DcmDataset>(match));
      return true;
    };
    index_.find(QueryModel::StudyRoot, query, collect, {}, &ignored);
    return out;
  }

  // A STUDY query with ProcedureCodeSequence holding `item` (nullptr: a sequence without items).
  std::vector<std::unique_ptr<DcmDataset>> withProcedureCodes(DcmItem* item, std::vector<std::string>& ignored) {
    auto q = identifier("STUDY", {{DCM_StudyInstanceUID, ""}});
    if (item != nullptr) {
      q->insertSequenceItem(DCM_ProcedureCodeSequence, item);
    } else {
      q->insertEmptyElement(DCM_ProcedureCodeSequence);
    }
    return run(*q, ignored);
  }

  index_test::TempDir dir_;
  Index index_{dir_.path() / "index.db"};
};

TEST_F(QuerySequenceKeys, AnEmptyItemIsUniversalMatchingAndReturnsTheSequenceEmpty) {
  std::vector<std::string> ignored{"stale"};
  auto rs = withProcedureCodes(new DcmItem(), ignored);
  EXPECT_TRUE(ignored.empty());
  ASSERT_EQ(rs.size(), 2u);
  DcmSequenceOfItems* seq = nullptr;
  ASSERT_TRUE(rs[0]->findAndGetSequence(DCM_ProcedureCodeSequence, seq).good());
  EXPECT_EQ(seq->card(), 0u);  // the index knows no procedure codes
  EXPECT_EQ(withProcedureCodes(nullptr, ignored).size(), 2u);
  EXPECT_TRUE(ignored.empty());
}

TEST_F(QuerySequenceKeys, KeysWithValuesTheIndexCannotMatchAreIgnoredAndReported) {
  auto* item = new DcmItem();
  item->putAndInsertString(DCM_CodeValue, "NO-SUCH-CODE");
  item->insertEmptyElement(DCM_CodeMeaning);  // a return key inside the item: no matching asked
  std::vector<std::string> ignored;
  EXPECT_EQ(withProcedureCodes(item, ignored).size(), 2u) << "an unsupported key is never a filter";
  ASSERT_EQ(ignored.size(), 1u);
  EXPECT_NE(ignored[0].find("ProcedureCodeSequence"), std::string::npos) << ignored[0];

  auto* onlyReturnKeys = new DcmItem();
  onlyReturnKeys->insertEmptyElement(DCM_CodeValue);
  withProcedureCodes(onlyReturnKeys, ignored);
  EXPECT_TRUE(ignored.empty());

  // Other keys the index cannot match on are reported the same way.
  auto q = identifier("STUDY", {{DCM_StudyInstanceUID, ""},
                                {DCM_InstitutionName, "NOWHERE"},       // not indexed
                                {DCM_NumberOfStudyRelatedSeries, "7"},  // a counter: a return key only
                                {DCM_OperatorsName, ""}});              // not indexed, asked for its value
  EXPECT_EQ(run(*q, ignored).size(), 2u);
  EXPECT_EQ(ignored.size(), 2u);
}

// --- Schema ---

TEST(QueryDateTimeSchema, AVersion1IndexIsMigratedAndKeepsItsRows) {
  index_test::TempDir dir;
  const auto file = dir.path() / "index.db";
  {
    Index index(file);
    index.put(index_test::makeRecord(Spec{}), DuplicatePolicy::Overwrite);
  }
  {
    // What a version 1 index looked like: no AcquisitionDateTime columns.
    db::Connection c(file);
    c.exec("DROP INDEX instances_acquisition_datetime");
    c.exec("ALTER TABLE instances DROP COLUMN acquisition_datetime_norm");
    c.exec("ALTER TABLE instances DROP COLUMN acquisition_datetime");
    c.exec("DELETE FROM schema_version");
    c.exec("INSERT INTO schema_version (version) VALUES (1)");
  }
  const LocalZone utc("UTC0");
  Index index(file);
  EXPECT_EQ(index.allInstances().size(), 1u);
  Spec later;
  later.sopUid = "1.2.3.1.1.2";
  auto ds = index_test::makeDataset(later);
  ds->putAndInsertString(DCM_AcquisitionDateTime, "20240131103000");
  index.put(recordFromDataset(*ds, index_test::kExplicitLittleEndian, "i/2", 10), DuplicatePolicy::Overwrite);
  auto q = identifier("IMAGE", {{DCM_AcquisitionDateTime, "20240131"}, {DCM_SOPInstanceUID, ""}});
  EXPECT_EQ(valuesOf(findAll(index, QueryModel::StudyRoot, *q), DCM_SOPInstanceUID), Values{"1.2.3.1.1.2"});
}

}  // namespace
}  // namespace medvqa
