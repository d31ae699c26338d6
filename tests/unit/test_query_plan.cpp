// The queries bench/find.sh times use an index (EXPLAIN QUERY PLAN): what keeps C-FIND time
// sub-linear in the index size. Timings themselves live in bench/, not in tests.

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

}  // namespace
}  // namespace medvqa
