// The modules around the content: patient and study copied from the source, a new SR series in
// the same study, the equipment and flags, the evidence and predecessor sequences.
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/dsrdoc.h>
#include <gtest/gtest.h>

#include <set>

#include "../support/sr_fixtures.h"
#include "dicom/uid.h"
#include "sr/content_tree.h"
#include "sr/sr_codes.h"
#include "sr/sr_writer.h"

namespace {

using namespace medvqa;
namespace fix = medvqa::test::srfix;

std::string get(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  item.findAndGetOFStringArray(tag, value);
  return value.c_str();
}

sr::ContentItem contentOf(DcmDataset& dataset) {
  DSRDocument document;
  EXPECT_TRUE(document.read(dataset).good());
  return sr::snapshotTree(document.getTree());
}

// Pointers into `root`: keep it alive while they are used.
std::vector<const sr::ContentItem*> groupsOf(const sr::ContentItem& root) {
  const auto* measurements = root.child("CONTAINER", DSRCodedEntryValue("126010", "DCM", "Imaging Measurements"));
  EXPECT_NE(measurements, nullptr);
  return measurements->childrenOf("CONTAINER", DSRCodedEntryValue("125007", "DCM", "Measurement Group"));
}

TEST(SrDocument, CopiesPatientAndStudyModules) {
  const auto study = fix::makeCtStudy();
  const auto sr = sr::writeReport(fix::sampleRequest(study));
  for (const DcmTagKey& tag :
       {DCM_PatientName, DCM_PatientID, DCM_PatientBirthDate, DCM_PatientSex, DCM_StudyInstanceUID, DCM_StudyDate,
        DCM_StudyTime, DCM_StudyID, DCM_AccessionNumber, DCM_ReferringPhysicianName, DCM_StudyDescription}) {
    EXPECT_EQ(get(*sr, tag), get(*study.front(), tag)) << DcmTag(tag).getTagName();
    EXPECT_FALSE(get(*sr, tag).empty()) << DcmTag(tag).getTagName();
  }
}

TEST(SrDocument, IsANewComprehensiveSrSeriesInTheSameStudy) {
  const auto study = fix::makeCtStudy();
  const auto sr = sr::writeReport(fix::sampleRequest(study));
  EXPECT_EQ(get(*sr, DCM_SOPClassUID), UID_ComprehensiveSRStorage);
  EXPECT_EQ(get(*sr, DCM_Modality), "SR");
  EXPECT_EQ(get(*sr, DCM_SeriesDescription), "MedVQA answers");
  EXPECT_EQ(get(*sr, DCM_SeriesNumber), "9901");
  EXPECT_EQ(get(*sr, DCM_InstanceNumber), "1");
  EXPECT_EQ(get(*sr, DCM_Manufacturer), "MedVQA");
  EXPECT_EQ(get(*sr, DCM_ManufacturerModelName), "MedVQA node");
  EXPECT_EQ(get(*sr, DCM_SoftwareVersions), MEDVQA_VERSION);
  EXPECT_EQ(get(*sr, DCM_CompletionFlag), "COMPLETE");
  EXPECT_EQ(get(*sr, DCM_VerificationFlag), "UNVERIFIED");
  EXPECT_EQ(get(*sr, DCM_ContentDate).size(), 8u);
  EXPECT_FALSE(get(*sr, DCM_ContentTime).empty());
  const std::string series = get(*sr, DCM_SeriesInstanceUID);
  const std::string sop = get(*sr, DCM_SOPInstanceUID);
  EXPECT_TRUE(dicom::normalizeUid(series));
  EXPECT_TRUE(dicom::normalizeUid(sop));
  EXPECT_NE(series, sop);
  for (const auto& image : study) {
    EXPECT_NE(series, get(*image, DCM_SeriesInstanceUID));
    EXPECT_NE(sop, get(*image, DCM_SOPInstanceUID));
  }
  EXPECT_NE(get(*sr::writeReport(fix::sampleRequest(study)), DCM_SOPInstanceUID), sop) << "a fresh UID per SR";
}

TEST(SrDocument, GivenUidsAreUsedAndRewritesRepeatTheTrackingUids) {
  const auto study = fix::makeCtStudy();
  auto request = fix::sampleRequest(study);
  request.seriesInstanceUid = "2.25.1001";
  request.sopInstanceUid = "2.25.1002";
  request.seriesNumber = 42;
  request.instanceNumber = 7;
  const auto first = sr::writeReport(request);
  const auto second = sr::writeReport(request);
  EXPECT_EQ(get(*first, DCM_SeriesInstanceUID), "2.25.1001");
  EXPECT_EQ(get(*first, DCM_SOPInstanceUID), "2.25.1002");
  EXPECT_EQ(get(*first, DCM_SeriesNumber), "42");
  EXPECT_EQ(get(*first, DCM_InstanceNumber), "7");
  const DSRCodedEntryValue trackingUid("112040", "DCM", "Tracking Unique Identifier");
  const auto rootA = contentOf(*first);
  const auto rootB = contentOf(*second);
  const auto groupsA = groupsOf(rootA);
  const auto groupsB = groupsOf(rootB);
  ASSERT_EQ(groupsA.size(), request.answers.size());
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < groupsA.size(); ++i) {
    const auto* a = groupsA[i]->child("UIDREF", trackingUid);
    const auto* b = groupsB[i]->child("UIDREF", trackingUid);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->text, b->text);
    EXPECT_TRUE(dicom::normalizeUid(a->text));
    distinct.insert(a->text);
  }
  EXPECT_EQ(distinct.size(), groupsA.size());
}

TEST(SrDocument, PredecessorSequenceOnlyWhenGiven) {
  const auto study = fix::makeCtStudy();
  auto request = fix::sampleRequest(study);
  EXPECT_FALSE(sr::writeReport(request)->tagExists(DCM_PredecessorDocumentsSequence));
  request.predecessor = sr::InstanceReference{fix::kStudyUid, "2.25.77", UID_ComprehensiveSRStorage, "2.25.78"};
  const auto sr = sr::writeReport(request);
  DcmItem* studyItem = nullptr;
  ASSERT_TRUE(sr->findAndGetSequenceItem(DCM_PredecessorDocumentsSequence, studyItem, 0).good());
  EXPECT_EQ(get(*studyItem, DCM_StudyInstanceUID), fix::kStudyUid);
  DcmItem* seriesItem = nullptr;
  ASSERT_TRUE(studyItem->findAndGetSequenceItem(DCM_ReferencedSeriesSequence, seriesItem, 0).good());
  EXPECT_EQ(get(*seriesItem, DCM_SeriesInstanceUID), "2.25.77");
  DcmItem* sopItem = nullptr;
  ASSERT_TRUE(seriesItem->findAndGetSequenceItem(DCM_ReferencedSOPSequence, sopItem, 0).good());
  EXPECT_EQ(get(*sopItem, DCM_ReferencedSOPClassUID), UID_ComprehensiveSRStorage);
  EXPECT_EQ(get(*sopItem, DCM_ReferencedSOPInstanceUID), "2.25.78");
}

TEST(SrDocument, EvidenceListsEveryImageGroupedBySeries) {
  const auto study = fix::makeCtStudy();
  const auto sr = sr::writeReport(fix::sampleRequest(study));
  DcmSequenceOfItems* evidence = nullptr;
  ASSERT_TRUE(sr->findAndGetSequence(DCM_CurrentRequestedProcedureEvidenceSequence, evidence).good());
  ASSERT_EQ(evidence->card(), 1u) << "one study";
  DcmItem* studyItem = evidence->getItem(0);
  EXPECT_EQ(get(*studyItem, DCM_StudyInstanceUID), fix::kStudyUid);
  DcmSequenceOfItems* series = nullptr;
  ASSERT_TRUE(studyItem->findAndGetSequence(DCM_ReferencedSeriesSequence, series).good());
  ASSERT_EQ(series->card(), 2u) << "the CT series and the scout series";
  std::set<std::string> listed;
  for (unsigned long s = 0; s < series->card(); ++s) {
    DcmSequenceOfItems* sops = nullptr;
    ASSERT_TRUE(series->getItem(s)->findAndGetSequence(DCM_ReferencedSOPSequence, sops).good());
    for (unsigned long i = 0; i < sops->card(); ++i) {
      EXPECT_EQ(get(*sops->getItem(i), DCM_ReferencedSOPClassUID), UID_CTImageStorage);
      listed.insert(get(*series->getItem(s), DCM_SeriesInstanceUID) + "/" +
                    get(*sops->getItem(i), DCM_ReferencedSOPInstanceUID));
    }
  }
  std::set<std::string> expected;
  for (const auto& image : study)
    expected.insert(get(*image, DCM_SeriesInstanceUID) + "/" + get(*image, DCM_SOPInstanceUID));
  EXPECT_EQ(listed, expected);
}

TEST(SrDocument, PartialWhenTheQuestionSetWasNotAnswered) {
  const auto study = fix::makeCtStudy();
  auto request = fix::sampleRequest(study);
  request.complete = false;
  request.completionNote = "2 of 6 questions failed";
  const auto sr = sr::writeReport(request);
  EXPECT_EQ(get(*sr, DCM_CompletionFlag), "PARTIAL");
  EXPECT_EQ(get(*sr, DCM_CompletionFlagDescription), "2 of 6 questions failed");
}

TEST(SrDocument, DeclaresThePrivateCodingScheme) {
  const auto study = fix::makeCtStudy();
  const auto sr = sr::writeReport(fix::sampleRequest(study));
  DcmItem* scheme = nullptr;
  ASSERT_TRUE(sr->findAndGetSequenceItem(DCM_CodingSchemeIdentificationSequence, scheme, 0).good());
  EXPECT_EQ(get(*scheme, DCM_CodingSchemeDesignator), sr::kPrivateScheme);
  EXPECT_EQ(get(*scheme, DCM_CodingSchemeName), sr::kPrivateSchemeName);
}

TEST(SrDocument, IsATid1500ReportWithADeviceObserver) {
  const auto study = fix::makeCtStudy();
  const auto root = contentOf(*sr::writeReport(fix::sampleRequest(study)));
  EXPECT_EQ(root.conceptName, (vqa::Code{"126000", "DCM", "Imaging Measurement Report"}));
  const auto* observerType = root.child("CODE", DSRCodedEntryValue("121005", "DCM", "Observer Type"));
  ASSERT_NE(observerType, nullptr);
  EXPECT_EQ(observerType->code->value, "121007");  // Device
  const auto* uid = root.child("UIDREF", DSRCodedEntryValue("121012", "DCM", "Device Observer UID"));
  ASSERT_NE(uid, nullptr);
  EXPECT_EQ(uid->text, "1.2.826.0.1.3680043.10.1500.99");
  const auto* procedure = root.child("CODE", DSRCodedEntryValue("121058", "DCM", "Procedure reported"));
  ASSERT_NE(procedure, nullptr);
  EXPECT_EQ(procedure->code->value, "25045-6");  // CT unspecified body region
}

TEST(SrDocument, ImageReferencesAndAlgorithmPerGroup) {
  const auto study = fix::makeCtStudy();
  const auto request = fix::sampleRequest(study);
  const auto root = contentOf(*sr::writeReport(request));
  const auto groups = groupsOf(root);
  ASSERT_EQ(groups.size(), 4u);
  const DSRCodedEntryValue parameters("111002", "DCM", "Algorithm Parameters");
  EXPECT_TRUE(groups[0]->childrenOf("TEXT", parameters).empty()) << "a header answer ran no model";
  EXPECT_EQ(groups[1]->childrenOf("TEXT", parameters).size(), 2u);
  const auto* confidence = groups[2]->child("NUM", sr::confidenceConcept());
  ASSERT_NE(confidence, nullptr);
  EXPECT_EQ(confidence->unit, (vqa::Code{"{ratio}", "UCUM", "ratio"}));
  const auto images = confidence->childrenOf("IMAGE", DSRCodedEntryValue("121112", "DCM", "Source of Measurement"));
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[0]->relationship, "INFERRED FROM");
  EXPECT_EQ(images[0]->sopInstanceUid, fix::ctSopUid(2));
  EXPECT_EQ(images[0]->sopClassUid, UID_CTImageStorage);
  EXPECT_EQ(images[1]->sopInstanceUid, fix::scoutSopUid());
}

TEST(SrDocument, ConvertsASourceInAnotherCharacterSetToUtf8) {
  auto study = fix::makeCtStudy();
  for (auto& image : study) {
    image->putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
    image->putAndInsertString(DCM_PatientName, "M\xDCLLER^J\xD6RG");  // Latin-1
  }
  const auto sr = sr::writeReport(fix::sampleRequest(study));
  EXPECT_EQ(get(*sr, DCM_SpecificCharacterSet), "ISO_IR 192");
  EXPECT_EQ(get(*sr, DCM_PatientName), "M\xC3\x9CLLER^J\xC3\x96RG");
}

TEST(SrDocument, NonAsciiAnswersDeclareUtf8) {
  const auto study = fix::makeCtStudy();
  auto request = fix::sampleRequest(study);
  request.answers[3].text = "drei Kn\xC3\xB6tchen";
  EXPECT_EQ(get(*sr::writeReport(request), DCM_SpecificCharacterSet), "ISO_IR 192");
}

TEST(SrDocument, AsciiOnlyDeclaresNoCharacterSet) {
  const auto study = fix::makeCtStudy();
  EXPECT_EQ(get(*sr::writeReport(fix::sampleRequest(study)), DCM_SpecificCharacterSet), "");
}

}  // namespace
