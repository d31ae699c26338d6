// The benchmark's queries use an index (EXPLAIN QUERY PLAN), and, when MEDVQA_INDEX_BENCH is
// set, how long they take over 5,000 studies x 20 instances.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "db/sqlite.h"
#include "index/index.h"
#include "index/query_keys.h"
#include "index/query_sql.h"
#include "test_index_fixtures.h"

namespace medvqa {
namespace {

using index_detail::buildFindQuery;
using index_detail::findKey;
using index_detail::KeyRequest;
using index_detail::KeySpec;
using index_detail::SqlQuery;

// A STUDY-level query returning StudyInstanceUID and NumberOfStudyRelatedInstances.
SqlQuery studyQuery(std::vector<std::pair<DcmTagKey, std::string>> matching) {
  std::vector<const KeySpec*> returned = {findKey(DCM_StudyInstanceUID),
                                          findKey(DCM_NumberOfStudyRelatedInstances)};
  std::vector<KeyRequest> requests;
  for (const auto& [tag, value] : matching) requests.push_back(KeyRequest{findKey(tag), value});
  return buildFindQuery(QueryLevel::Study, returned, requests);
}

// sqlite's plan for a query, one line per step, with its parameters bound (GLOB uses an index
// only once the pattern is known).
std::string planOf(db::Connection& c, const SqlQuery& q) {
  auto s = c.prepare("EXPLAIN QUERY PLAN " + q.sql);
  q.bindTo(s);
  std::string plan;
  while (s.step()) plan += s.columnText(3) + "\n";
  return plan;
}

class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_test::Spec s;
    index_.put(index_test::makeRecord(s), DuplicatePolicy::Overwrite);
  }
  db::Connection connection() { return db::Connection(dir_.path() / "index.db"); }

  index_test::TempDir dir_;
  Index index_{dir_.path() / "index.db"};
};

TEST_F(QueryPlanTest, ExactPatientIdUsesThePatientKey) {
  auto c = connection();
  const std::string plan = planOf(c, studyQuery({{DCM_PatientID, "PID1"}}));
  EXPECT_NE(plan.find("sqlite_autoindex_patients_1 (patient_id=?)"), std::string::npos) << plan;
  EXPECT_NE(plan.find("studies_patient"), std::string::npos) << plan;
}

TEST_F(QueryPlanTest, PatientNamePrefixUsesTheUpperCaseNameIndex) {
  auto c = connection();
  const std::string plan = planOf(c, studyQuery({{DCM_PatientName, "doe*"}}));
  EXPECT_NE(plan.find("patients_name (patient_name_upper>? AND patient_name_upper<?)"),
            std::string::npos)
      << plan;
}

TEST_F(QueryPlanTest, StudyDateRangeUsesTheDateIndex) {
  auto c = connection();
  const std::string plan = planOf(c, studyQuery({{DCM_StudyDate, "20240101-20240131"}}));
  EXPECT_NE(plan.find("USING INDEX studies_date (study_date>? AND study_date<?)"),
            std::string::npos)
      << plan;
}

TEST_F(QueryPlanTest, StudyCountersNeverTouchSeriesOrInstances) {
  auto c = connection();
  const std::string plan = planOf(c, studyQuery({}));
  EXPECT_EQ(plan.find("instances"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("series"), std::string::npos) << plan;
  EXPECT_NE(plan.find("SEARCH p USING INTEGER PRIMARY KEY"), std::string::npos) << plan;
}

TEST_F(QueryPlanTest, ModalitiesInStudyUsesTheCoveringSeriesIndex) {
  auto c = connection();
  const std::string plan = planOf(c, studyQuery({{DCM_ModalitiesInStudy, "CT\\MR"}}));
  EXPECT_NE(plan.find("USING COVERING INDEX series_study_modality"), std::string::npos) << plan;
}

TEST_F(QueryPlanTest, RetrieveByStudyUsesUniqueKeys) {
  auto c = connection();
  const auto q =
      index_detail::buildRetrieveQuery({KeyRequest{findKey(DCM_StudyInstanceUID), "1.2.3.1"}});
  const std::string plan = planOf(c, q);
  EXPECT_NE(plan.find("sqlite_autoindex_studies_1"), std::string::npos) << plan;
  EXPECT_NE(plan.find("instances_series"), std::string::npos) << plan;
}

// --- Benchmark (opt-in: MEDVQA_INDEX_BENCH=1; run in a Release build) ---

double medianMs(const std::function<void()>& run, int repeats = 21) {
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

TEST(QueryBench, FiveThousandStudiesOfTwentyInstances) {
  if (std::getenv("MEDVQA_INDEX_BENCH") == nullptr) GTEST_SKIP() << "set MEDVQA_INDEX_BENCH=1";
  // tmpfs where there is one: the benchmark measures queries, not the disk's fsync.
  const std::filesystem::path parent =
      std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
  index_test::TempDir dir(parent);
  Index index(dir.path() / "index.db");
  constexpr int kStudies = 5000;
  constexpr int kPerStudy = 20;
  const auto loadStart = std::chrono::steady_clock::now();
  for (int st = 0; st < kStudies; ++st) {
    index_test::Spec s;
    s.patientId = "P" + std::to_string(st % 2500);
    s.patientName = (st % 50 == 0 ? "DOE^" : "SMITH^") + std::to_string(st % 2500);
    s.studyUid = "1.2." + std::to_string(st);
    s.studyDate = "2023" + std::string(st % 12 < 9 ? "0" : "") + std::to_string(st % 12 + 1) +
                  std::to_string(10 + st % 18);
    s.modality = st % 3 ? "CT" : "MR";
    for (int i = 0; i < kPerStudy; ++i) {
      s.seriesUid = s.studyUid + "." + std::to_string(i / 10);
      s.sopUid = s.seriesUid + "." + std::to_string(i);
      s.instanceNumber = std::to_string(i + 1);
      s.relPath = "";
      index.put(index_test::makeRecord(s), DuplicatePolicy::Overwrite);
    }
  }
  const double loadS =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();
  std::printf("[bench] loaded %d instances in %.1f s (%.0f us per put)\n", kStudies * kPerStudy,
              loadS, loadS * 1e6 / (kStudies * kPerStudy));

  db::Connection c(dir.path() / "index.db", db::ConnectionOptions{.readOnly = true});
  const auto sqlOnly = [&](const SqlQuery& q) {
    std::size_t rows = 0;
    const double ms = medianMs([&] {
      auto s = c.prepare(q.sql);
      q.bindTo(s);
      rows = 0;
      while (s.step()) {
        s.columnText(0);
        s.columnText(1);
        ++rows;
      }
    });
    return std::make_pair(ms, rows);
  };
  const auto viaFind = [&](const std::vector<std::pair<DcmTagKey, std::string>>& keys) {
    auto q = index_test::identifier(
        "STUDY", {{DCM_StudyInstanceUID, ""}, {DCM_NumberOfStudyRelatedInstances, ""}});
    for (const auto& [tag, value] : keys) q->putAndInsertString(tag, value.c_str());
    std::size_t rows = 0;
    const double ms = medianMs([&] {
      rows = 0;
      index.find(QueryModel::StudyRoot, *q, [&](DcmDataset&) {
        ++rows;
        return true;
      });
    });
    return std::make_pair(ms, rows);
  };
  struct Case {
    const char* name;
    std::vector<std::pair<DcmTagKey, std::string>> keys;
  };
  const std::vector<Case> cases = {
      {"exact PatientID", {{DCM_PatientID, "P42"}}},
      {"PatientName DOE*", {{DCM_PatientName, "DOE*"}}},
      {"StudyDate one month", {{DCM_StudyDate, "20230301-20230331"}}},
      {"all studies + counters", {}},
  };
  for (const auto& test : cases) {
    const auto [sqlMs, sqlRows] = sqlOnly(studyQuery(test.keys));
    const auto [findMs, findRows] = viaFind(test.keys);
    std::printf("[bench] %-24s %5zu rows  sql %.3f ms  find() with responses %.3f ms\n", test.name,
                sqlRows, sqlMs, findMs);
    EXPECT_EQ(findRows, sqlRows);
    EXPECT_GT(sqlRows, 0u);
    EXPECT_LT(sqlMs, 10.0) << test.name;
  }
}

}  // namespace
}  // namespace medvqa
