// Index writes: put() outcomes and policies, counters, moves, removal, lifecycle, summaries,
// concurrency.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/error.h"
#include "db/sqlite.h"
#include "index/index.h"
#include "test_index_fixtures.h"

namespace medvqa {
namespace {

using index_test::makeRecord;
using index_test::Spec;
using index_test::TempDir;

// Rows whose maintained counters disagree with a recount from the tables below them.
std::int64_t counterMismatches(const std::filesystem::path& dbFile) {
  db::Connection c(dbFile);
  auto s = c.prepare(R"sql(
    SELECT
      (SELECT count(*) FROM series se WHERE num_instances <>
         (SELECT count(*) FROM instances WHERE series_fk = se.id))
    + (SELECT count(*) FROM studies st WHERE num_series <>
         (SELECT count(*) FROM series WHERE study_fk = st.id)
       OR num_instances <> (SELECT count(*) FROM instances i JOIN series se
                            ON se.id = i.series_fk WHERE se.study_fk = st.id))
    + (SELECT count(*) FROM patients p WHERE num_studies <>
         (SELECT count(*) FROM studies WHERE patient_fk = p.id)
       OR num_series <> (SELECT count(*) FROM series se JOIN studies st ON st.id = se.study_fk
                         WHERE st.patient_fk = p.id)
       OR num_instances <> (SELECT count(*) FROM instances i JOIN series se
                            ON se.id = i.series_fk JOIN studies st ON st.id = se.study_fk
                            WHERE st.patient_fk = p.id)))sql");
  EXPECT_TRUE(s.step());
  return s.columnInt64(0);
}

std::int64_t rows(const std::filesystem::path& dbFile, const std::string& table) {
  db::Connection c(dbFile);
  auto s = c.prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(s.step());
  return s.columnInt64(0);
}

// Patient-level counters as a C-FIND user reads them.
struct PatientCounts {
  std::string studies, series, instances;
};
PatientCounts patientCounts(const Index& index, const std::string& patientId) {
  auto q = index_test::identifier("PATIENT", {{DCM_PatientID, patientId},
                                              {DCM_NumberOfPatientRelatedStudies, ""},
                                              {DCM_NumberOfPatientRelatedSeries, ""},
                                              {DCM_NumberOfPatientRelatedInstances, ""}});
  auto rs = index_test::findAll(index, QueryModel::PatientRoot, *q);
  if (rs.size() != 1) return {"absent", "absent", "absent"};
  return {index_test::valueOf(*rs[0], DCM_NumberOfPatientRelatedStudies),
          index_test::valueOf(*rs[0], DCM_NumberOfPatientRelatedSeries),
          index_test::valueOf(*rs[0], DCM_NumberOfPatientRelatedInstances)};
}

Spec instance(const std::string& study, const std::string& series, const std::string& sop) {
  Spec s;
  s.studyUid = study;
  s.seriesUid = series;
  s.sopUid = sop;
  return s;
}

class IndexTest : public ::testing::Test {
 protected:
  std::filesystem::path dbFile() const { return dir_.path() / "index.db"; }
  TempDir dir_;
  Index index_{dir_.path() / "index.db"};
};

TEST_F(IndexTest, PutInsertsAndFindsTheInstance) {
  const auto result =
      index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite);
  EXPECT_EQ(result.outcome, PutOutcome::Inserted);
  EXPECT_FALSE(result.previousRelPath);
  const auto found = index_.findInstance("1.1.1.1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->sopClassUid, index_test::kCtImageStorage);
  EXPECT_EQ(found->transferSyntaxUid, index_test::kExplicitLittleEndian);
  EXPECT_EQ(found->relPath, "instances/1.1.1.1.dcm");
  EXPECT_EQ(found->fileSize, 1000u);
  EXPECT_EQ(found->studyUid, "1.1");
  EXPECT_EQ(found->seriesUid, "1.1.1");
  EXPECT_FALSE(index_.findInstance("9.9"));
}

TEST_F(IndexTest, CountersFollowInserts) {
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.2")), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(instance("1.1", "1.1.2", "1.1.2.1")), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(instance("1.2", "1.2.1", "1.2.1.1")), DuplicatePolicy::Overwrite);
  const auto study = index_.study("1.1");
  ASSERT_TRUE(study);
  EXPECT_EQ(study->numSeries, 2);
  EXPECT_EQ(study->numInstances, 3);
  ASSERT_EQ(study->series.size(), 2u);
  EXPECT_EQ(study->series[0].numInstances + study->series[1].numInstances, 3);
  const auto p = patientCounts(index_, "PID1");
  EXPECT_EQ(p.studies, "2");
  EXPECT_EQ(p.series, "3");
  EXPECT_EQ(p.instances, "4");
  EXPECT_EQ(counterMismatches(dbFile()), 0);
}

TEST_F(IndexTest, KeepExistingLeavesTheFirstCopy) {
  Spec s = instance("1.1", "1.1.1", "1.1.1.1");
  index_.put(makeRecord(s), DuplicatePolicy::KeepExisting);
  s.relPath = "elsewhere.dcm";
  s.studyDescription = "CHANGED";
  const auto result = index_.put(makeRecord(s), DuplicatePolicy::KeepExisting);
  EXPECT_EQ(result.outcome, PutOutcome::KeptExisting);
  EXPECT_FALSE(result.previousRelPath);
  EXPECT_EQ(index_.findInstance("1.1.1.1")->relPath, "instances/1.1.1.1.dcm");
  EXPECT_EQ(index_.study("1.1")->studyDescription, "CHEST CT");
  EXPECT_EQ(index_.study("1.1")->numInstances, 1);
}

TEST_F(IndexTest, OverwriteReplacesAndReportsTheOldPath) {
  Spec s = instance("1.1", "1.1.1", "1.1.1.1");
  index_.put(makeRecord(s), DuplicatePolicy::Overwrite);
  const auto same = index_.put(makeRecord(s), DuplicatePolicy::Overwrite);
  EXPECT_EQ(same.outcome, PutOutcome::Replaced);
  EXPECT_FALSE(same.previousRelPath);  // same file path: nothing to delete
  s.relPath = "instances/new.dcm";
  s.studyDescription = "CORRECTED";
  const auto moved = index_.put(makeRecord(s), DuplicatePolicy::Overwrite);
  EXPECT_EQ(moved.outcome, PutOutcome::Replaced);
  EXPECT_EQ(moved.previousRelPath, "instances/1.1.1.1.dcm");
  EXPECT_EQ(index_.findInstance("1.1.1.1")->relPath, "instances/new.dcm");
  EXPECT_EQ(index_.study("1.1")->studyDescription, "CORRECTED");
  EXPECT_EQ(index_.study("1.1")->numInstances, 1);
  EXPECT_EQ(counterMismatches(dbFile()), 0);
}

TEST_F(IndexTest, ReplacedInstanceMovingStudyKeepsCountersRightAndPrunesEmptyRows) {
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.2")), DuplicatePolicy::Overwrite);
  Spec other = instance("1.2", "1.2.1", "1.2.1.1");
  other.patientId = "PID2";
  index_.put(makeRecord(other), DuplicatePolicy::Overwrite);

  // 1.1.1.1 is re-sent under patient PID2, study 1.2, a new series.
  Spec moved = instance("1.2", "1.2.2", "1.1.1.1");
  moved.patientId = "PID2";
  EXPECT_EQ(index_.put(makeRecord(moved), DuplicatePolicy::Overwrite).outcome,
            PutOutcome::Replaced);
  EXPECT_EQ(index_.study("1.1")->numInstances, 1);
  EXPECT_EQ(index_.study("1.2")->numInstances, 2);
  EXPECT_EQ(index_.study("1.2")->numSeries, 2);
  EXPECT_EQ(index_.findInstance("1.1.1.1")->studyUid, "1.2");
  EXPECT_EQ(patientCounts(index_, "PID1").instances, "1");
  EXPECT_EQ(patientCounts(index_, "PID2").instances, "2");

  // The last instance of study 1.1 moves too: its series, study and patient disappear.
  Spec last = instance("1.2", "1.2.2", "1.1.1.2");
  last.patientId = "PID2";
  index_.put(makeRecord(last), DuplicatePolicy::Overwrite);
  EXPECT_FALSE(index_.study("1.1"));
  EXPECT_EQ(patientCounts(index_, "PID1").studies, "absent");
  EXPECT_EQ(patientCounts(index_, "PID2").studies, "1");
  EXPECT_EQ(patientCounts(index_, "PID2").series, "2");
  EXPECT_EQ(patientCounts(index_, "PID2").instances, "3");
  EXPECT_EQ(rows(dbFile(), "series"), 2);
  EXPECT_EQ(counterMismatches(dbFile()), 0);
}

TEST_F(IndexTest, StudyFollowsACorrectedPatient) {
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.2")), DuplicatePolicy::Overwrite);
  Spec corrected = instance("1.1", "1.1.1", "1.1.1.1");
  corrected.patientId = "PID-CORRECT";
  corrected.patientName = "DOE^JANE";
  index_.put(makeRecord(corrected), DuplicatePolicy::Overwrite);
  EXPECT_EQ(index_.study("1.1")->patientId, "PID-CORRECT");
  EXPECT_EQ(patientCounts(index_, "PID1").studies, "absent");
  const auto p = patientCounts(index_, "PID-CORRECT");
  EXPECT_EQ(p.studies, "1");
  EXPECT_EQ(p.instances, "2");
  EXPECT_EQ(counterMismatches(dbFile()), 0);
}

TEST_F(IndexTest, SeriesFollowsACorrectedStudy) {
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.2")), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(instance("1.1", "1.1.2", "1.1.2.1")), DuplicatePolicy::Overwrite);
  // A new instance names series 1.1.1 under study 1.9: the whole series moves.
  index_.put(makeRecord(instance("1.9", "1.1.1", "1.1.1.3")), DuplicatePolicy::Overwrite);
  EXPECT_EQ(index_.study("1.1")->numSeries, 1);
  EXPECT_EQ(index_.study("1.1")->numInstances, 1);
  EXPECT_EQ(index_.study("1.9")->numInstances, 3);
  EXPECT_EQ(index_.findInstance("1.1.1.1")->studyUid, "1.9");
  EXPECT_EQ(counterMismatches(dbFile()), 0);
}

TEST_F(IndexTest, RemovePrunesEmptyParents) {
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.2")), DuplicatePolicy::Overwrite);
  const auto removed = index_.remove("1.1.1.1");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->relPath, "instances/1.1.1.1.dcm");
  EXPECT_EQ(index_.study("1.1")->numInstances, 1);
  EXPECT_FALSE(index_.remove("1.1.1.1"));
  index_.remove("1.1.1.2");
  EXPECT_FALSE(index_.study("1.1"));
  EXPECT_EQ(rows(dbFile(), "patients"), 0);
  EXPECT_EQ(rows(dbFile(), "series"), 0);
  EXPECT_TRUE(index_.allInstances().empty());
}

TEST_F(IndexTest, AllInstancesListsEveryInstance) {
  for (int i = 1; i <= 5; ++i) {
    index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1." + std::to_string(i))),
               DuplicatePolicy::Overwrite);
  }
  const auto all = index_.allInstances();
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].sopInstanceUid, "1.1.1.1");
  EXPECT_EQ(all[4].relPath, "instances/1.1.1.5.dcm");
}

TEST_F(IndexTest, PutRejectsAnIncompleteRecord) {
  InstanceRecord r = makeRecord(instance("1.1", "1.1.1", "1.1.1.1"));
  r.sopClassUid = "";
  EXPECT_THROW(index_.put(r, DuplicatePolicy::Overwrite), Error);
  r = makeRecord(instance("1.1", "1.1.1", "1.1.1.1"));
  r.relPath = "";
  EXPECT_THROW(index_.put(r, DuplicatePolicy::Overwrite), Error);
  EXPECT_EQ(rows(dbFile(), "patients"), 0);  // nothing half-written
}

TEST_F(IndexTest, StudiesBecomeQuietThenStable) {
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite, 1000);
  index_.put(makeRecord(instance("1.2", "1.2.1", "1.2.1.1")), DuplicatePolicy::Overwrite, 5000);
  EXPECT_EQ(index_.studiesQuietSince(999), std::vector<std::string>{});
  EXPECT_EQ(index_.studiesQuietSince(1000), std::vector<std::string>{"1.1"});
  EXPECT_EQ(index_.studiesQuietSince(6000), (std::vector<std::string>{"1.1", "1.2"}));

  EXPECT_TRUE(index_.markStable("1.1", 7000));
  EXPECT_EQ(index_.studiesQuietSince(8000), std::vector<std::string>{"1.2"});
  const auto stable = index_.study("1.1");
  EXPECT_TRUE(stable->stable);
  EXPECT_EQ(stable->stableAtMs, 7000);
  EXPECT_EQ(stable->lastReceivedAtMs, 1000);
  EXPECT_FALSE(index_.markStable("9.9", 7000));

  // A new instance makes the study unstable again.
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.2")), DuplicatePolicy::Overwrite, 9000);
  const auto reopened = index_.study("1.1");
  EXPECT_FALSE(reopened->stable);
  EXPECT_FALSE(reopened->stableAtMs);
  EXPECT_EQ(reopened->lastReceivedAtMs, 9000);
}

TEST_F(IndexTest, KeptDuplicateDoesNotReopenAStableStudy) {
  const Spec s = instance("1.1", "1.1.1", "1.1.1.1");
  index_.put(makeRecord(s), DuplicatePolicy::KeepExisting, 1000);
  index_.markStable("1.1", 2000);
  index_.put(makeRecord(s), DuplicatePolicy::KeepExisting, 3000);
  EXPECT_TRUE(index_.study("1.1")->stable);
}

TEST_F(IndexTest, TheNodesOwnReportDoesNotReopenAStableStudy) {
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite, 1000);
  index_.markStable("1.1", 2000);
  index_.put(makeRecord(instance("1.1", "1.1.9", "1.1.9.1")), DuplicatePolicy::Overwrite, 3000,
             Settling::Keep);
  const auto study = index_.study("1.1");
  EXPECT_TRUE(study->stable);
  EXPECT_EQ(study->stableAtMs, 2000);
  EXPECT_EQ(study->lastReceivedAtMs, 1000);
  EXPECT_EQ(study->numInstances, 2);
}

TEST_F(IndexTest, MarkStableWithCutoffLosesNoLateInstance) {
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite, 1000);
  ASSERT_EQ(index_.studiesQuietSince(2000), std::vector<std::string>{"1.1"});
  // An instance arrives between the detector's query and its mark.
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.2")), DuplicatePolicy::Overwrite, 2500);
  EXPECT_FALSE(index_.markStable("1.1", 3000, 2000));
  EXPECT_FALSE(index_.study("1.1")->stable);
  EXPECT_TRUE(index_.markStable("1.1", 3000, 2500));
}

TEST_F(IndexTest, StudiesAreListedNewestFirstWithPaging) {
  for (int i = 1; i <= 5; ++i) {
    const std::string study = "1." + std::to_string(i);
    Spec s = instance(study, study + ".1", study + ".1.1");
    s.modality = i % 2 ? "CT" : "MR";
    index_.put(makeRecord(s), DuplicatePolicy::Overwrite, 1000 * i);
  }
  const auto page = index_.studies(2, 1);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].studyUid, "1.4");
  EXPECT_EQ(page[1].studyUid, "1.3");
  EXPECT_EQ(page[0].modalities, std::vector<std::string>{"MR"});
  EXPECT_EQ(page[0].patientName, "DOE^JOHN");
  EXPECT_EQ(page[0].accession, "ACC1");
  EXPECT_EQ(page[0].studyDate, "20240115");
  EXPECT_TRUE(page[0].series.empty());
  EXPECT_EQ(index_.studies(100, 0).size(), 5u);
  EXPECT_TRUE(index_.studies(10, 5).empty());
}

TEST_F(IndexTest, StudyDetailListsSeriesInNumberOrder) {
  Spec a = instance("1.1", "1.1.2", "1.1.2.1");
  a.seriesNumber = "2";
  a.modality = "MR";
  a.seriesDescription = "T2";
  Spec b = instance("1.1", "1.1.1", "1.1.1.1");
  b.seriesNumber = "1";
  b.modality = "CT";
  index_.put(makeRecord(a), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(b), DuplicatePolicy::Overwrite);
  index_.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.2")), DuplicatePolicy::Overwrite);
  const auto study = index_.study("1.1");
  ASSERT_TRUE(study);
  EXPECT_EQ(study->modalities, (std::vector<std::string>{"CT", "MR"}));
  ASSERT_EQ(study->series.size(), 2u);
  EXPECT_EQ(study->series[0].seriesUid, "1.1.1");
  EXPECT_EQ(study->series[0].seriesNumber, 1);
  EXPECT_EQ(study->series[0].numInstances, 2);
  EXPECT_EQ(study->series[1].modality, "MR");
  EXPECT_EQ(study->series[1].description, "T2");
  EXPECT_FALSE(index_.study("9.9"));
}

TEST(IndexPersistence, ReopensWhatWasWritten) {
  TempDir dir;
  {
    Index index(dir.path() / "index.db");
    index.put(makeRecord(instance("1.1", "1.1.1", "1.1.1.1")), DuplicatePolicy::Overwrite);
  }
  Index reopened(dir.path() / "index.db");
  EXPECT_TRUE(reopened.findInstance("1.1.1.1"));
}

TEST(IndexPersistence, RefusesANewerSchema) {
  TempDir dir;
  { Index index(dir.path() / "index.db"); }
  {
    db::Connection c(dir.path() / "index.db");
    c.exec("UPDATE schema_version SET version = 99");
  }
  try {
    Index index(dir.path() / "index.db");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Database);
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos);
  }
}

// Many association threads at once: writers storing, readers querying. Every put succeeds, every
// query sees a consistent index, and the counters add up at the end.
TEST(IndexConcurrency, WritersAndReadersRunTogether) {
  TempDir dir;
  Index index(dir.path() / "index.db");
  constexpr int kWriters = 4;
  constexpr int kPerWriter = 50;
  std::atomic<bool> writing{true};
  std::atomic<int> queries{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      auto q = index_test::identifier(
          "STUDY", {{DCM_StudyInstanceUID, ""}, {DCM_NumberOfStudyRelatedInstances, ""}});
      while (writing) {
        try {
          index_test::findAll(index, QueryModel::StudyRoot, *q);
          ++queries;
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const std::string study = "2." + std::to_string(w) + "." + std::to_string(i % 5);
        try {
          index.put(makeRecord(instance(study, study + ".1", study + ".1." + std::to_string(i))),
                    DuplicatePolicy::Overwrite);
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  writing = false;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_GT(queries, 0);
  EXPECT_EQ(index.allInstances().size(), static_cast<std::size_t>(kWriters * kPerWriter));
  EXPECT_EQ(patientCounts(index, "PID1").instances, std::to_string(kWriters * kPerWriter));
  EXPECT_EQ(counterMismatches(dir.path() / "index.db"), 0);
}

}  // namespace
}  // namespace medvqa
