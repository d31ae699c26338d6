// C-FIND as an SCU sees it: each matching type of PS3.4 C.2.2.2 at each level, both models.

#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcvrul.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "index/index.h"
#include "test_index_fixtures.h"

namespace medvqa {
namespace {

using index_test::findAll;
using index_test::identifier;
using index_test::Spec;
using index_test::valueOf;
using index_test::valuesOf;
using Values = std::multiset<std::string>;

// Four studies of three patients:
//   PA "Doe^John"     1.10 (2024-01-15 10:15, CT series 1.10.1 with 2 images, MR series 1.10.2)
//                     1.11 (2024-02-20 14:30, MR)
//   PB "Müller^Jörg"  1.20 (2023-12-31 23:59:59.5, US, no description)
//   PC "DOE^JANE"     1.30 (2024-03-01 08:00, CR)
class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Spec a;
    a.patientId = "PA";
    a.issuer = "HOSP";
    a.patientName = "Doe^John";
    a.studyUid = "1.10";
    a.accession = "ACC[1]";
    a.referring = "House^Gregory";
    a.seriesUid = "1.10.1";
    a.sopUid = "1.10.1.1";
    put(a);
    a.sopUid = "1.10.1.2";
    a.instanceNumber = "2";
    a.contentDate = "20240116";
    put(a);
    a.contentDate = "20240115";
    a.seriesUid = "1.10.2";
    a.sopUid = "1.10.2.1";
    a.modality = "MR";
    a.seriesNumber = "2";
    a.seriesDescription = "T2 AX";
    a.bodyPart = "HEAD";
    a.sopClassUid = index_test::kMrImageStorage;
    a.instanceNumber = "1";
    put(a);

    Spec a2 = a;
    a2.studyUid = "1.11";
    a2.studyDate = a2.seriesDate = "20240220";
    a2.studyTime = "143000";
    a2.accession = "ACC2";
    a2.studyDescription = "HEAD MR";
    a2.seriesUid = "1.11.1";
    a2.sopUid = "1.11.1.1";
    put(a2);

    Spec b;
    b.patientId = "PB";
    b.patientName = "Müller^Jörg";
    b.birthDate = "19851231";
    b.sex = "F";
    b.referring = "Wilson^James";
    b.studyUid = "1.20";
    b.studyDate = b.seriesDate = "20231231";
    b.studyTime = "235959.5";
    b.accession = "ACC3";
    b.studyDescription = "";
    b.modality = "US";
    b.seriesUid = "1.20.1";
    b.sopUid = "1.20.1.1";
    put(b);

    Spec c;
    c.patientId = "PC";
    c.patientName = "DOE^JANE";
    c.sex = "F";
    c.referring = "Cuddy^Lisa";
    c.studyUid = "1.30";
    c.studyDate = c.seriesDate = "20240301";
    c.studyTime = "0800";
    c.accession = "XACC1";
    c.modality = "CR";
    c.seriesUid = "1.30.1";
    c.sopUid = "1.30.1.1";
    put(c);
  }

  void put(const Spec& s) { index_.put(index_test::makeRecord(s), DuplicatePolicy::Overwrite); }

  // StudyInstanceUIDs of the studies a one-key STUDY query matches.
  Values studies(const DcmTagKey& key, const std::string& value,
                 QueryModel model = QueryModel::StudyRoot) {
    return index_test::match(index_, model, "STUDY", key, value, DCM_StudyInstanceUID);
  }

  index_test::TempDir dir_;
  Index index_{dir_.path() / "index.db"};
};

// --- Study level ---

TEST_F(QueryTest, SingleValueMatchingIsExactAndCaseSensitive) {
  EXPECT_EQ(studies(DCM_PatientID, "PA"), (Values{"1.10", "1.11"}));
  EXPECT_EQ(studies(DCM_PatientID, "pa"), Values{});
  EXPECT_EQ(studies(DCM_AccessionNumber, "ACC2"), Values{"1.11"});
  EXPECT_EQ(studies(DCM_StudyID, "S1").size(), 4u);
  EXPECT_EQ(studies(DCM_StudyDescription, "HEAD MR"), Values{"1.11"});
  EXPECT_EQ(studies(DCM_StudyDescription, "head mr"), Values{});
  EXPECT_EQ(studies(DCM_PatientSex, "F"), (Values{"1.20", "1.30"}));
  EXPECT_EQ(studies(DCM_PatientBirthDate, "19851231"), Values{"1.20"});
}

TEST_F(QueryTest, BothModelsAnswerStudyQueriesAlike) {
  EXPECT_EQ(studies(DCM_PatientID, "PA", QueryModel::PatientRoot), (Values{"1.10", "1.11"}));
  EXPECT_EQ(studies(DCM_PatientID, "PA", QueryModel::StudyRoot), (Values{"1.10", "1.11"}));
  EXPECT_EQ(studies(DCM_StudyDate, "20240301", QueryModel::PatientRoot), Values{"1.30"});
}

TEST_F(QueryTest, UniversalMatchingReturnsStoredValues) {
  auto q = identifier("STUDY", {{DCM_StudyInstanceUID, ""},
                                {DCM_PatientName, ""},
                                {DCM_StudyDescription, "*"},
                                {DCM_StudyDate, ""},
                                {DCM_StudyTime, ""},
                                {DCM_AccessionNumber, ""},
                                {DCM_ReferringPhysicianName, ""}});
  auto rs = findAll(index_, QueryModel::StudyRoot, *q);
  ASSERT_EQ(rs.size(), 4u);
  EXPECT_EQ(valuesOf(rs, DCM_PatientName),
            (Values{"Doe^John", "Doe^John", "Müller^Jörg", "DOE^JANE"}));
  EXPECT_EQ(valuesOf(rs, DCM_StudyDescription), (Values{"CHEST CT", "HEAD MR", "", "CHEST CT"}));
  EXPECT_EQ(valuesOf(rs, DCM_StudyTime), (Values{"101500", "143000", "235959.5", "0800"}));
  EXPECT_EQ(valuesOf(rs, DCM_AccessionNumber), (Values{"ACC[1]", "ACC2", "ACC3", "XACC1"}));
}

TEST_F(QueryTest, PersonNamesMatchCaseInsensitively) {
  EXPECT_EQ(studies(DCM_PatientName, "doe^john"), (Values{"1.10", "1.11"}));
  EXPECT_EQ(studies(DCM_PatientName, "DOE^JOHN^^^"), (Values{"1.10", "1.11"}));
  EXPECT_EQ(studies(DCM_PatientName, "DOE*"), (Values{"1.10", "1.11", "1.30"}));
  EXPECT_EQ(studies(DCM_PatientName, "d?e^j*"), (Values{"1.10", "1.11", "1.30"}));
  EXPECT_EQ(studies(DCM_PatientName, "*^JA?E"), Values{"1.30"});
  EXPECT_EQ(studies(DCM_PatientName, "müller*"), Values{"1.20"});
  EXPECT_EQ(studies(DCM_PatientName, "MÜLLER^JÖRG"), Values{"1.20"});
  EXPECT_EQ(studies(DCM_PatientName, "DOE"), Values{});  // single value: no prefix match
  EXPECT_EQ(studies(DCM_ReferringPhysicianName, "house^*"), (Values{"1.10", "1.11"}));
  EXPECT_EQ(studies(DCM_ReferringPhysicianName, "*^JAMES"), Values{"1.20"});
}

TEST_F(QueryTest, Latin1QueryMatchesUtf8StoredName) {
  auto q = identifier("STUDY", {{DCM_StudyInstanceUID, ""}});
  q->putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
  q->putAndInsertString(DCM_PatientName, "m\xFCller^j\xF6rg");  // Latin-1, lower case
  auto rs = findAll(index_, QueryModel::StudyRoot, *q);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(valueOf(*rs[0], DCM_StudyInstanceUID), "1.20");
  EXPECT_EQ(valueOf(*rs[0], DCM_SpecificCharacterSet), "ISO_IR 192");
  EXPECT_EQ(valueOf(*rs[0], DCM_PatientName), "Müller^Jörg");  // UTF-8
  // The caller's identifier is left as it was.
  EXPECT_EQ(valueOf(*q, DCM_PatientName), "m\xFCller^j\xF6rg");
}

TEST_F(QueryTest, WildcardsAreQuestionMarkAndStarOnly) {
  EXPECT_EQ(studies(DCM_AccessionNumber, "ACC?"), (Values{"1.11", "1.20"}));
  EXPECT_EQ(studies(DCM_AccessionNumber, "*ACC*"), (Values{"1.10", "1.11", "1.20", "1.30"}));
  EXPECT_EQ(studies(DCM_AccessionNumber, "X*"), Values{"1.30"});
  EXPECT_EQ(studies(DCM_StudyDescription, "*CT"), (Values{"1.10", "1.30"}));
}

TEST_F(QueryTest, BracketsInAValueMatchLiterally) {
  EXPECT_EQ(studies(DCM_AccessionNumber, "ACC[1]"), Values{"1.10"});
  EXPECT_EQ(studies(DCM_AccessionNumber, "ACC[*"), Values{"1.10"});
  // As a GLOB character class "[1]" would match "XACC1" too.
  EXPECT_EQ(studies(DCM_AccessionNumber, "*[1]"), Values{"1.10"});
  EXPECT_EQ(studies(DCM_AccessionNumber, "*C[12]"), Values{});
}

TEST_F(QueryTest, StudyInstanceUidListMatchesAnyOf) {
  EXPECT_EQ(studies(DCM_StudyInstanceUID, "1.10\\1.20\\9.9"), (Values{"1.10", "1.20"}));
  EXPECT_EQ(studies(DCM_StudyInstanceUID, "1.30"), Values{"1.30"});
}

TEST_F(QueryTest, DateRanges) {
  EXPECT_EQ(studies(DCM_StudyDate, "20240115"), Values{"1.10"});
  EXPECT_EQ(studies(DCM_StudyDate, "2024.01.15"), Values{"1.10"});
  EXPECT_EQ(studies(DCM_StudyDate, "20240101-20240131"), Values{"1.10"});
  EXPECT_EQ(studies(DCM_StudyDate, "20240115-20240220"), (Values{"1.10", "1.11"}));
  EXPECT_EQ(studies(DCM_StudyDate, "20240201-"), (Values{"1.11", "1.30"}));
  EXPECT_EQ(studies(DCM_StudyDate, "-20231231"), Values{"1.20"});
  EXPECT_EQ(studies(DCM_PatientBirthDate, "19800101-"), Values{"1.20"});
}

TEST_F(QueryTest, TimeRangesCoverTheWholePrecision) {
  EXPECT_EQ(studies(DCM_StudyTime, "1000-1100"), Values{"1.10"});
  EXPECT_EQ(studies(DCM_StudyTime, "-0900"), Values{"1.30"});
  EXPECT_EQ(studies(DCM_StudyTime, "-0800"), Values{"1.30"});  // the whole minute 08:00
  EXPECT_EQ(studies(DCM_StudyTime, "2359-"), Values{"1.20"});
  EXPECT_EQ(studies(DCM_StudyTime, "235959"), Values{"1.20"});  // 23:59:59.5 is in that second
  EXPECT_EQ(studies(DCM_StudyTime, "14"), Values{"1.11"});
  EXPECT_EQ(studies(DCM_StudyTime, "101500"), Values{"1.10"});
  EXPECT_EQ(studies(DCM_StudyTime, "10:15"), Values{"1.10"});
  EXPECT_EQ(studies(DCM_StudyTime, "1016-"), (Values{"1.11", "1.20"}));
}

TEST_F(QueryTest, MalformedRangesAreInvalidArguments) {
  for (const char* bad : {"2024", "20241301", "2024-01-01", "abc-"}) {
    auto q = identifier("STUDY", {{DCM_StudyDate, bad}});
    try {
      findAll(index_, QueryModel::StudyRoot, *q);
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
      EXPECT_NE(std::string(e.what()).find("StudyDate"), std::string::npos);
    }
  }
  auto time = identifier("STUDY", {{DCM_StudyTime, "25-"}});
  EXPECT_THROW(findAll(index_, QueryModel::StudyRoot, *time), Error);
}

TEST_F(QueryTest, ModalitiesInStudyMatchesAnySeries) {
  EXPECT_EQ(studies(DCM_ModalitiesInStudy, "MR"), (Values{"1.10", "1.11"}));
  EXPECT_EQ(studies(DCM_ModalitiesInStudy, "CT\\US"), (Values{"1.10", "1.20"}));
  EXPECT_EQ(studies(DCM_ModalitiesInStudy, "C?"), (Values{"1.10", "1.30"}));
  EXPECT_EQ(studies(DCM_ModalitiesInStudy, "XA"), Values{});
  auto q = identifier("STUDY", {{DCM_StudyInstanceUID, "1.10"}, {DCM_ModalitiesInStudy, ""}});
  auto rs = findAll(index_, QueryModel::StudyRoot, *q);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(valueOf(*rs[0], DCM_ModalitiesInStudy), "CT\\MR");
}

TEST_F(QueryTest, StudyCountersComeBackAsReturnKeys) {
  auto q = identifier("STUDY", {{DCM_StudyInstanceUID, "1.10"},
                                {DCM_NumberOfStudyRelatedSeries, ""},
                                {DCM_NumberOfStudyRelatedInstances, ""},
                                {DCM_NumberOfPatientRelatedStudies, ""}});
  auto rs = findAll(index_, QueryModel::StudyRoot, *q);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(valueOf(*rs[0], DCM_NumberOfStudyRelatedSeries), "2");
  EXPECT_EQ(valueOf(*rs[0], DCM_NumberOfStudyRelatedInstances), "3");
  EXPECT_EQ(valueOf(*rs[0], DCM_NumberOfPatientRelatedStudies), "2");
}

TEST_F(QueryTest, EmptyValueMatchingFindsEntitiesWithoutAValue) {
  EXPECT_EQ(studies(DCM_StudyDescription, "\"\""), Values{"1.20"});
  EXPECT_EQ(studies(DCM_IssuerOfPatientID, "\"\""), (Values{"1.20", "1.30"}));
}

TEST_F(QueryTest, ResponsesCarryCharsetLevelAndEveryRequestedKey) {
  auto q = identifier("STUDY", {{DCM_StudyInstanceUID, "1.30"},
                                {DCM_InstitutionName, ""},  // not indexed
                                {DCM_SOPInstanceUID, ""},   // below the level
                                {DCM_RetrieveAETitle, ""}});
  auto rs = findAll(index_, QueryModel::StudyRoot, *q);
  ASSERT_EQ(rs.size(), 1u);
  DcmDataset& r = *rs[0];
  EXPECT_EQ(valueOf(r, DCM_SpecificCharacterSet), "ISO_IR 192");
  EXPECT_EQ(valueOf(r, DCM_QueryRetrieveLevel), "STUDY");
  EXPECT_EQ(valueOf(r, DCM_StudyInstanceUID), "1.30");
  for (const DcmTagKey& tag : {DCM_InstitutionName, DCM_SOPInstanceUID, DCM_RetrieveAETitle}) {
    DcmElement* e = nullptr;
    ASSERT_TRUE(r.findAndGetElement(tag, e).good()) << tag.toString();
    EXPECT_EQ(e->getLength(), 0u) << tag.toString();
  }
  EXPECT_EQ(r.card(), 6u);  // nothing the SCU did not ask for
  auto noAe = identifier("STUDY", {{DCM_StudyInstanceUID, "1.30"}});
  EXPECT_FALSE(findAll(index_, QueryModel::StudyRoot, *noAe)[0]->tagExists(DCM_RetrieveAETitle));
}

TEST_F(QueryTest, KeysBelowTheLevelAreNotMatched) {
  // A SOP Instance UID in a STUDY query is a return key the level cannot answer, not a filter.
  EXPECT_EQ(studies(DCM_SOPInstanceUID, "9.9.9").size(), 4u);
}

TEST_F(QueryTest, SequencesAreReturnedEmpty) {
  auto q = identifier("STUDY", {{DCM_StudyInstanceUID, "1.10"}});
  auto* item = new DcmItem();
  item->putAndInsertString(DCM_ReferencedSOPInstanceUID, "9.9");
  q->insertSequenceItem(DCM_ReferencedStudySequence, item);
  auto rs = findAll(index_, QueryModel::StudyRoot, *q);
  ASSERT_EQ(rs.size(), 1u);  // not used as a filter
  DcmSequenceOfItems* seq = nullptr;
  ASSERT_TRUE(rs[0]->findAndGetSequence(DCM_ReferencedStudySequence, seq).good());
  EXPECT_EQ(seq->card(), 0u);
}

TEST_F(QueryTest, GroupLengthElementsAreIgnored) {
  auto q = identifier("STUDY", {{DCM_PatientID, "PB"}, {DCM_StudyInstanceUID, ""}});
  auto* groupLength = new DcmUnsignedLong(DcmTag(0x0010, 0x0000, EVR_UL));
  groupLength->putUint32(8);
  q->insert(groupLength);
  auto* studyGroupLength = new DcmUnsignedLong(DcmTag(0x0020, 0x0000, EVR_UL));
  studyGroupLength->putUint32(99);
  q->insert(studyGroupLength);
  auto rs = findAll(index_, QueryModel::StudyRoot, *q);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(valueOf(*rs[0], DCM_StudyInstanceUID), "1.20");
  EXPECT_FALSE(rs[0]->tagExists(DcmTagKey(0x0010, 0x0000)));
  EXPECT_FALSE(rs[0]->tagExists(DcmTagKey(0x0020, 0x0000)));
}

TEST_F(QueryTest, CancellationStopsAfterTheFirstMatch) {
  auto q = identifier("STUDY", {{DCM_StudyInstanceUID, ""}});
  int calls = 0;
  index_.find(QueryModel::StudyRoot, *q, [&](DcmDataset&) {
    ++calls;
    return false;
  });
  EXPECT_EQ(calls, 1);
}

// --- Level handling ---

TEST_F(QueryTest, LevelMustBePresentValidAndFitTheModel) {
  const auto expectInvalid = [&](const char* level, QueryModel model) {
    auto q = identifier(level, {{DCM_PatientID, ""}});
    try {
      findAll(index_, model, *q);
      FAIL() << (level ? level : "(none)");
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
    }
  };
  expectInvalid(nullptr, QueryModel::StudyRoot);
  expectInvalid("FOO", QueryModel::StudyRoot);
  expectInvalid("study", QueryModel::StudyRoot);
  expectInvalid("PATIENT", QueryModel::StudyRoot);
}

// --- Patient level ---

TEST_F(QueryTest, PatientLevelInPatientRoot) {
  auto patients = [&](const DcmTagKey& key, const std::string& value) {
    return index_test::match(index_, QueryModel::PatientRoot, "PATIENT", key, value, DCM_PatientID);
  };
  EXPECT_EQ(patients(DCM_PatientName, "DOE*"), (Values{"PA", "PC"}));
  EXPECT_EQ(patients(DCM_PatientName, ""), (Values{"PA", "PB", "PC"}));
  EXPECT_EQ(patients(DCM_IssuerOfPatientID, "HOSP"), Values{"PA"});
  EXPECT_EQ(patients(DCM_PatientSex, "F"), (Values{"PB", "PC"}));
  EXPECT_EQ(patients(DCM_PatientBirthDate, "-19791231"), (Values{"PA", "PC"}));
  EXPECT_EQ(patients(DCM_PatientID, "P?"), (Values{"PA", "PB", "PC"}));

  auto q = identifier("PATIENT", {{DCM_PatientID, "PA"},
                                  {DCM_PatientName, ""},
                                  {DCM_StudyInstanceUID, ""},  // below PATIENT: empty
                                  {DCM_NumberOfPatientRelatedStudies, ""},
                                  {DCM_NumberOfPatientRelatedSeries, ""},
                                  {DCM_NumberOfPatientRelatedInstances, ""}});
  auto rs = findAll(index_, QueryModel::PatientRoot, *q);
  ASSERT_EQ(rs.size(), 1u);  // one patient, not one row per study
  EXPECT_EQ(valueOf(*rs[0], DCM_PatientName), "Doe^John");
  EXPECT_EQ(valueOf(*rs[0], DCM_StudyInstanceUID), "");
  EXPECT_EQ(valueOf(*rs[0], DCM_NumberOfPatientRelatedStudies), "2");
  EXPECT_EQ(valueOf(*rs[0], DCM_NumberOfPatientRelatedSeries), "3");
  EXPECT_EQ(valueOf(*rs[0], DCM_NumberOfPatientRelatedInstances), "4");
}

// --- Series level ---

TEST_F(QueryTest, SeriesLevelKeys) {
  auto series = [&](const DcmTagKey& key, const std::string& value) {
    return index_test::match(index_, QueryModel::StudyRoot, "SERIES", key, value,
                             DCM_SeriesInstanceUID);
  };
  EXPECT_EQ(series(DCM_Modality, "MR"), (Values{"1.10.2", "1.11.1"}));
  EXPECT_EQ(series(DCM_Modality, "CT\\US"), (Values{"1.10.1", "1.20.1"}));
  EXPECT_EQ(series(DCM_Modality, "C?\\US"), (Values{"1.10.1", "1.20.1", "1.30.1"}));
  EXPECT_EQ(series(DCM_SeriesNumber, "2"), (Values{"1.10.2", "1.11.1"}));
  EXPECT_EQ(series(DCM_SeriesDescription, "T2*"), (Values{"1.10.2", "1.11.1"}));
  EXPECT_EQ(series(DCM_BodyPartExamined, "HEAD"), (Values{"1.10.2", "1.11.1"}));
  EXPECT_EQ(series(DCM_SeriesDate, "20240201-20240331"), (Values{"1.11.1", "1.30.1"}));
  EXPECT_EQ(series(DCM_SeriesInstanceUID, "1.10.1\\1.30.1"), (Values{"1.10.1", "1.30.1"}));
  EXPECT_EQ(series(DCM_SeriesTime, "1016"),
            (Values{"1.10.1", "1.10.2", "1.11.1", "1.20.1", "1.30.1"}));

  // Upper-level keys narrow the series (the hierarchical unique key and relational keys).
  auto q = identifier("SERIES", {{DCM_StudyInstanceUID, "1.10"},
                                 {DCM_Modality, "MR"},
                                 {DCM_SeriesInstanceUID, ""},
                                 {DCM_NumberOfSeriesRelatedInstances, ""}});
  auto rs = findAll(index_, QueryModel::StudyRoot, *q);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(valueOf(*rs[0], DCM_SeriesInstanceUID), "1.10.2");
  EXPECT_EQ(valueOf(*rs[0], DCM_NumberOfSeriesRelatedInstances), "1");
  EXPECT_EQ(valueOf(*rs[0], DCM_QueryRetrieveLevel), "SERIES");

  auto patientRoot = identifier("SERIES", {{DCM_PatientID, "PA"},
                                           {DCM_StudyInstanceUID, "1.10"},
                                           {DCM_SeriesInstanceUID, ""},
                                           {DCM_NumberOfSeriesRelatedInstances, ""}});
  auto prs = findAll(index_, QueryModel::PatientRoot, *patientRoot);
  EXPECT_EQ(valuesOf(prs, DCM_SeriesInstanceUID), (Values{"1.10.1", "1.10.2"}));
  EXPECT_EQ(valuesOf(prs, DCM_NumberOfSeriesRelatedInstances), (Values{"2", "1"}));
}

// --- Image level ---

TEST_F(QueryTest, ImageLevelKeys) {
  auto images = [&](const DcmTagKey& key, const std::string& value) {
    return index_test::match(index_, QueryModel::StudyRoot, "IMAGE", key, value,
                             DCM_SOPInstanceUID);
  };
  EXPECT_EQ(images(DCM_SOPInstanceUID, "1.10.1.2"), Values{"1.10.1.2"});
  EXPECT_EQ(images(DCM_SOPInstanceUID, "1.10.1.1\\1.20.1.1\\7.7"),
            (Values{"1.10.1.1", "1.20.1.1"}));
  EXPECT_EQ(images(DCM_SOPClassUID, index_test::kMrImageStorage), (Values{"1.10.2.1", "1.11.1.1"}));
  EXPECT_EQ(images(DCM_InstanceNumber, "2"), Values{"1.10.1.2"});
  EXPECT_EQ(images(DCM_InstanceNumber, "+2"), Values{"1.10.1.2"});
  EXPECT_EQ(images(DCM_ContentDate, "20240116-"), Values{"1.10.1.2"});

  auto q = identifier("IMAGE", {{DCM_StudyInstanceUID, "1.10"},
                                {DCM_SeriesInstanceUID, "1.10.1"},
                                {DCM_SOPInstanceUID, ""},
                                {DCM_SOPClassUID, ""},
                                {DCM_InstanceNumber, ""},
                                {DCM_AvailableTransferSyntaxUID, ""}});
  auto rs = findAll(index_, QueryModel::PatientRoot, *q);
  EXPECT_EQ(valuesOf(rs, DCM_SOPInstanceUID), (Values{"1.10.1.1", "1.10.1.2"}));
  EXPECT_EQ(valuesOf(rs, DCM_InstanceNumber), (Values{"1", "2"}));
  EXPECT_EQ(valuesOf(rs, DCM_SOPClassUID),
            (Values{index_test::kCtImageStorage, index_test::kCtImageStorage}));
  EXPECT_EQ(valuesOf(rs, DCM_AvailableTransferSyntaxUID),
            (Values{index_test::kExplicitLittleEndian, index_test::kExplicitLittleEndian}));
}

TEST_F(QueryTest, MalformedUidsAndNumbersAreInvalidArguments) {
  auto uid = identifier("IMAGE", {{DCM_SOPInstanceUID, "1.2.x"}});
  EXPECT_THROW(findAll(index_, QueryModel::StudyRoot, *uid), Error);
  auto list = identifier("IMAGE", {{DCM_SOPInstanceUID, "1.2\\1.2*"}});
  EXPECT_THROW(findAll(index_, QueryModel::StudyRoot, *list), Error);
  auto number = identifier("IMAGE", {{DCM_InstanceNumber, "two"}});
  EXPECT_THROW(findAll(index_, QueryModel::StudyRoot, *number), Error);
}

}  // namespace
}  // namespace medvqa
