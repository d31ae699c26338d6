// instancesFor: what a C-GET / C-MOVE identifier resolves to.

#include <gtest/gtest.h>

#include "common/error.h"
#include "index/index.h"
#include "test_index_fixtures.h"

namespace medvqa {
namespace {

using index_test::identifier;
using index_test::Spec;
using Uids = std::vector<std::string>;

// Patient PA: study 1.10 (series 1.10.1 with images 1 and 2, series 1.10.2 with one image) and
// study 1.11 (one image); patient PB: study 1.20 (one image).
class RetrieveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    put("PA", "1.10", "1.10.1", "1", "1.10.1.2", "2");
    put("PA", "1.10", "1.10.1", "1", "1.10.1.1", "1");
    put("PA", "1.10", "1.10.2", "2", "1.10.2.1", "1");
    put("PA", "1.11", "1.11.1", "1", "1.11.1.1", "1");
    put("PB", "1.20", "1.20.1", "1", "1.20.1.1", "1");
  }

  void put(const std::string& patient, const std::string& study, const std::string& series,
           const std::string& seriesNumber, const std::string& sop, const std::string& number) {
    Spec s;
    s.patientId = patient;
    s.studyUid = study;
    s.seriesUid = series;
    s.seriesNumber = seriesNumber;
    s.sopUid = sop;
    s.instanceNumber = number;
    index_.put(index_test::makeRecord(s), DuplicatePolicy::Overwrite);
  }

  Uids retrieve(QueryModel model, const char* level,
                std::initializer_list<std::pair<DcmTagKey, std::string>> keys) {
    Uids out;
    for (const auto& i : index_.instancesFor(model, *identifier(level, keys))) {
      out.push_back(i.sopInstanceUid);
    }
    return out;
  }

  index_test::TempDir dir_;
  Index index_{dir_.path() / "index.db"};
};

TEST_F(RetrieveTest, PatientLevelSendsEveryStudyOfThePatient) {
  EXPECT_EQ(retrieve(QueryModel::PatientRoot, "PATIENT", {{DCM_PatientID, "PA"}}),
            (Uids{"1.10.1.1", "1.10.1.2", "1.10.2.1", "1.11.1.1"}));
  EXPECT_EQ(retrieve(QueryModel::PatientRoot, "PATIENT", {{DCM_PatientID, "PB\\PX"}}),
            Uids{"1.20.1.1"});
  EXPECT_EQ(retrieve(QueryModel::PatientRoot, "PATIENT", {{DCM_PatientID, "P*"}}), Uids{});
}

TEST_F(RetrieveTest, PatientIdFromAnotherIssuerIsAnotherPatient) {
  Spec other;
  other.patientId = "PB";
  other.issuer = "OTHER-HOSPITAL";
  other.studyUid = "1.90";
  other.seriesUid = "1.90.1";
  other.sopUid = "1.90.1.1";
  index_.put(index_test::makeRecord(other), DuplicatePolicy::Overwrite);
  EXPECT_EQ(retrieve(QueryModel::PatientRoot, "PATIENT", {{DCM_PatientID, "PB"}}),
            (Uids{"1.20.1.1", "1.90.1.1"}));
  EXPECT_EQ(retrieve(QueryModel::PatientRoot, "PATIENT",
                     {{DCM_PatientID, "PB"}, {DCM_IssuerOfPatientID, "OTHER-HOSPITAL"}}),
            Uids{"1.90.1.1"});
}

TEST_F(RetrieveTest, StudyLevelInSeriesAndInstanceOrder) {
  const Uids study = {"1.10.1.1", "1.10.1.2", "1.10.2.1"};
  EXPECT_EQ(retrieve(QueryModel::StudyRoot, "STUDY", {{DCM_StudyInstanceUID, "1.10"}}), study);
  EXPECT_EQ(retrieve(QueryModel::PatientRoot, "STUDY",
                     {{DCM_PatientID, "PA"}, {DCM_StudyInstanceUID, "1.10"}}),
            study);
  EXPECT_EQ(retrieve(QueryModel::StudyRoot, "STUDY", {{DCM_StudyInstanceUID, "1.11\\1.20"}}),
            (Uids{"1.11.1.1", "1.20.1.1"}));
  // The patient's unique key still applies above the study.
  EXPECT_EQ(retrieve(QueryModel::PatientRoot, "STUDY",
                     {{DCM_PatientID, "PB"}, {DCM_StudyInstanceUID, "1.10"}}),
            Uids{});
}

TEST_F(RetrieveTest, SeriesAndImageLevels) {
  EXPECT_EQ(retrieve(QueryModel::StudyRoot, "SERIES",
                     {{DCM_StudyInstanceUID, "1.10"}, {DCM_SeriesInstanceUID, "1.10.1"}}),
            (Uids{"1.10.1.1", "1.10.1.2"}));
  EXPECT_EQ(retrieve(QueryModel::StudyRoot, "SERIES", {{DCM_SeriesInstanceUID, "1.10.2\\1.20.1"}}),
            (Uids{"1.10.2.1", "1.20.1.1"}));
  EXPECT_EQ(retrieve(QueryModel::StudyRoot, "IMAGE",
                     {{DCM_StudyInstanceUID, "1.10"},
                      {DCM_SeriesInstanceUID, "1.10.1"},
                      {DCM_SOPInstanceUID, "1.10.1.2"}}),
            Uids{"1.10.1.2"});
  EXPECT_EQ(
      retrieve(QueryModel::StudyRoot, "IMAGE", {{DCM_SOPInstanceUID, "1.20.1.1\\1.10.2.1\\9.9"}}),
      (Uids{"1.10.2.1", "1.20.1.1"}));
}

TEST_F(RetrieveTest, ReturnsWhatASenderNeeds) {
  const auto instances = index_.instancesFor(
      QueryModel::StudyRoot, *identifier("IMAGE", {{DCM_SOPInstanceUID, "1.10.2.1"}}));
  ASSERT_EQ(instances.size(), 1u);
  EXPECT_EQ(instances[0].sopClassUid, index_test::kCtImageStorage);
  EXPECT_EQ(instances[0].transferSyntaxUid, index_test::kExplicitLittleEndian);
  EXPECT_EQ(instances[0].relPath, "instances/1.10.2.1.dcm");
  EXPECT_EQ(instances[0].studyUid, "1.10");
  EXPECT_EQ(instances[0].seriesUid, "1.10.2");
}

TEST_F(RetrieveTest, MissingOrInvalidKeysAreInvalidArguments) {
  const auto expectInvalid = [&](QueryModel model, const char* level,
                                 std::initializer_list<std::pair<DcmTagKey, std::string>> keys,
                                 const std::string& mentions) {
    try {
      index_.instancesFor(model, *identifier(level, keys));
      FAIL() << level;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
      EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
    }
  };
  expectInvalid(QueryModel::StudyRoot, "STUDY", {{DCM_PatientID, "PA"}}, "StudyInstanceUID");
  expectInvalid(QueryModel::StudyRoot, "SERIES", {{DCM_StudyInstanceUID, "1.10"}},
                "SeriesInstanceUID");
  expectInvalid(QueryModel::StudyRoot, "IMAGE", {{DCM_SOPInstanceUID, ""}}, "SOPInstanceUID");
  expectInvalid(QueryModel::PatientRoot, "PATIENT", {{DCM_PatientName, "DOE*"}}, "PatientID");
  expectInvalid(QueryModel::StudyRoot, "PATIENT", {{DCM_PatientID, "PA"}}, "Study Root");
  expectInvalid(QueryModel::StudyRoot, nullptr, {{DCM_StudyInstanceUID, "1.10"}},
                "Query/Retrieve Level");
  expectInvalid(QueryModel::StudyRoot, "STUDY", {{DCM_StudyInstanceUID, "1.10*"}},
                "StudyInstanceUID");
}

}  // namespace
}  // namespace medvqa
