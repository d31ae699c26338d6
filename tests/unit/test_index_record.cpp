// recordFromDataset: what the index extracts from an instance.

#include <gtest/gtest.h>

#include "common/error.h"
#include "index/instance_record.h"
#include "test_index_fixtures.h"

namespace medvqa {
namespace {

using index_test::makeDataset;
using index_test::Spec;

InstanceRecord extract(DcmDataset& ds) {
  return recordFromDataset(ds, index_test::kExplicitLittleEndian, "instances/a.dcm", 1234);
}

TEST(IndexRecord, ExtractsEveryIndexedAttribute) {
  Spec s;
  s.issuer = "HOSP";
  s.patientName = "DOE^JOHN^^^";
  auto ds = makeDataset(s);
  ds->putAndInsertString(DCM_NumberOfFrames, "12");
  const InstanceRecord r = extract(*ds);
  EXPECT_EQ(r.patientId, "PID1");
  EXPECT_EQ(r.issuerOfPatientId, "HOSP");
  EXPECT_EQ(r.patientName, "DOE^JOHN");
  EXPECT_EQ(r.patientBirthDate, "19700101");
  EXPECT_EQ(r.patientSex, "M");
  EXPECT_EQ(r.studyInstanceUid, "1.2.3.1");
  EXPECT_EQ(r.studyDate, "20240115");
  EXPECT_EQ(r.studyTime, "101500");
  EXPECT_EQ(r.accessionNumber, "ACC1");
  EXPECT_EQ(r.studyId, "S1");
  EXPECT_EQ(r.studyDescription, "CHEST CT");
  EXPECT_EQ(r.referringPhysicianName, "HOUSE^GREGORY");
  EXPECT_EQ(r.seriesInstanceUid, "1.2.3.1.1");
  EXPECT_EQ(r.modality, "CT");
  EXPECT_EQ(r.seriesNumber, 1);
  EXPECT_EQ(r.seriesDescription, "AXIAL");
  EXPECT_EQ(r.bodyPartExamined, "CHEST");
  EXPECT_EQ(r.seriesDate, "20240115");
  EXPECT_EQ(r.seriesTime, "101600");
  EXPECT_EQ(r.sopInstanceUid, "1.2.3.1.1.1");
  EXPECT_EQ(r.sopClassUid, index_test::kCtImageStorage);
  EXPECT_EQ(r.instanceNumber, 1);
  EXPECT_EQ(r.contentDate, "20240115");
  EXPECT_EQ(r.contentTime, "101700");
  EXPECT_EQ(r.numberOfFrames, 12);
  EXPECT_EQ(r.transferSyntaxUid, index_test::kExplicitLittleEndian);
  EXPECT_EQ(r.relPath, "instances/a.dcm");
  EXPECT_EQ(r.fileSize, 1234u);
}

TEST(IndexRecord, AbsentOptionalAttributesAreEmpty) {
  Spec s;
  s.patientName = s.accession = s.seriesNumber = s.instanceNumber = s.studyTime = "";
  auto ds = makeDataset(s);
  const InstanceRecord r = extract(*ds);
  EXPECT_EQ(r.patientName, "");
  EXPECT_EQ(r.accessionNumber, "");
  EXPECT_EQ(r.studyTime, "");
  EXPECT_FALSE(r.seriesNumber.has_value());
  EXPECT_FALSE(r.instanceNumber.has_value());
  EXPECT_FALSE(r.numberOfFrames.has_value());
}

TEST(IndexRecord, ConvertsLatin1ToUtf8WithoutTouchingTheDataset) {
  Spec s;
  s.charset = "ISO_IR 100";
  s.patientName = "M\xDCLLER^J\xD6RG";  // Latin-1
  s.studyDescription = "Thorax \xE9tude";
  auto ds = makeDataset(s);
  const InstanceRecord r = extract(*ds);
  EXPECT_EQ(r.patientName, "MÜLLER^JÖRG");
  EXPECT_EQ(r.studyDescription, "Thorax étude");
  EXPECT_EQ(index_test::valueOf(*ds, DCM_PatientName), "M\xDCLLER^J\xD6RG");
  EXPECT_EQ(index_test::valueOf(*ds, DCM_SpecificCharacterSet), "ISO_IR 100");
}

TEST(IndexRecord, KeepsRawValuesWhenTheCharacterSetCannotBeConverted) {
  Spec s;
  s.charset = "ISO_IR 999";  // no such character set
  s.patientName = "RAW^NAME";
  auto ds = makeDataset(s);
  const InstanceRecord r = extract(*ds);
  EXPECT_EQ(r.patientName, "RAW^NAME");
  EXPECT_EQ(r.sopInstanceUid, "1.2.3.1.1.1");
}

TEST(IndexRecord, NormalizesLegacyDatesAndToleratesBadNumbers) {
  Spec s;
  s.studyDate = "2024.01.15";
  s.seriesNumber = "  7 ";
  s.instanceNumber = "x1";
  auto ds = makeDataset(s);
  const InstanceRecord r = extract(*ds);
  EXPECT_EQ(r.studyDate, "20240115");
  EXPECT_EQ(r.seriesNumber, 7);
  EXPECT_FALSE(r.instanceNumber.has_value());
}

TEST(IndexRecord, TrimsUidPadding) {
  Spec s;
  auto ds = makeDataset(s);
  // Devices pad odd-length UIDs with a NUL, some (wrongly) with a space.
  ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.3.4\0", Uint32{8});
  ds->putAndInsertString(DCM_SeriesInstanceUID, "1.2.3.5 ", Uint32{8});
  const InstanceRecord r = extract(*ds);
  EXPECT_EQ(r.sopInstanceUid, "1.2.3.4");
  EXPECT_EQ(r.seriesInstanceUid, "1.2.3.5");
}

void expectInvalidNaming(DcmDataset& ds, const std::string& attribute) {
  try {
    extract(ds);
    FAIL() << "expected InvalidArgument for " << attribute;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find(attribute), std::string::npos) << e.what();
  }
}

TEST(IndexRecord, MalformedOrMissingRequiredUidsAreInvalidArguments) {
  {
    Spec s;
    s.sopUid = "1.2.abc";
    expectInvalidNaming(*makeDataset(s), "SOP Instance UID");
  }
  {
    Spec s;
    s.studyUid = "";
    expectInvalidNaming(*makeDataset(s), "Study Instance UID");
  }
  {
    Spec s;
    s.seriesUid = std::string(65, '1');
    expectInvalidNaming(*makeDataset(s), "Series Instance UID");
  }
  {
    Spec s;
    s.sopClassUid = "";
    expectInvalidNaming(*makeDataset(s), "SOP Class UID");
  }
  {
    auto ds = makeDataset(Spec{});
    EXPECT_THROW(recordFromDataset(*ds, "not-a-uid", "a.dcm", 1), Error);
  }
}

}  // namespace
}  // namespace medvqa
