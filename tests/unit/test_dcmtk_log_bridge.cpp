// The DCMTK log bridge on the text DCMTK really writes: data set dumps made by DcmDataset::print
// and DIMSE_dumpMessage, and dcmdata's debug lines captured through the installed appender.
#include <gtest/gtest.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvrobow.h>
#include <dcmtk/dcmnet/dimse.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/dcmtk_log_bridge.h"
#include "common/log.h"

using medvqa::log::maskIdentifyingValues;
namespace log = medvqa::log;

namespace {

constexpr char kStudyUid[] = "1.2.826.0.1.3680043.2.1143.4711";

// Identifying attributes of the table, set by their DCMTK dictionary names (not the table's).
const std::vector<std::pair<DcmTagKey, std::string>> kSecrets = {
    {DCM_PatientName, "ZZSECRET^PATIENT"},
    {DCM_PatientID, "ID-ZZ-4711"},
    {DCM_AccessionNumber, "ACC-ZZ-0815"},
    {DCM_PatientBirthDate, "19470203"},
    {DCM_ReferringPhysicianName, "ZZDOC^REFERRER"},
    {DCM_PerformingPhysicianName, "ZZDOC^PERFORMER"},
    {DCM_OperatorsName, "ZZTECH^OPERATOR"},
    {DCM_OtherPatientNames, "ZZALIAS^ONE"},
    {DCM_RETIRED_OtherPatientIDs, "ZZOTHER-1\\ZZOTHER-2"},
    {DCM_PatientAddress, "ZZ Lane 7, Springfield"},
    {DCM_PatientTelephoneNumbers, "555-ZZ-0199"},
};

void put(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  ASSERT_TRUE(item.putAndInsertString(tag, value.c_str()).good()) << DcmTag(tag).getTagName();
}

DcmDataset identifiedStudy() {
  DcmDataset ds;
  for (const auto& [tag, value] : kSecrets) put(ds, tag, value);
  put(ds, DCM_StudyInstanceUID, kStudyUid);
  put(ds, DCM_SOPClassUID, UID_CTImageStorage);
  put(ds, DCM_Modality, "CT");
  put(ds, DCM_StudyDescription, "CHEST PA");
  put(ds, DCM_InstitutionName, "Springfield General");
  put(ds, DCM_IssuerOfPatientID, "SPRINGFIELD");
  DcmItem* other = nullptr;
  ds.findOrCreateSequenceItem(DCM_OtherPatientIDsSequence, other, -2);
  put(*other, DCM_PatientID, "ZZNESTED-ID");
  put(*other, DCM_IssuerOfPatientID, "SHELBYVILLE");
  return ds;
}

std::string dump(DcmItem& item, size_t flags = 0) {
  std::ostringstream out;
  item.print(out, flags);
  return out.str();
}

// Every part of a secret value long enough to identify (each of a multi-valued one too).
std::vector<std::string> secretParts() {
  std::vector<std::string> parts = {"ZZNESTED-ID"};
  for (const auto& [tag, value] : kSecrets) {
    std::stringstream values(value);
    for (std::string one; std::getline(values, one, '\\');) parts.push_back(one);
  }
  return parts;
}

void expectNoSecret(const std::string& masked, const std::string& clear) {
  for (const auto& secret : secretParts()) {
    EXPECT_NE(clear.find(secret), std::string::npos) << "the dump should hold " << secret << ":\n" << clear;
    EXPECT_EQ(masked.find(secret), std::string::npos) << secret << " in clear:\n" << masked;
  }
}

void expectReadable(const std::string& masked) {
  for (const std::string_view kept : {std::string_view(kStudyUid), std::string_view("[CT]"),
                                      std::string_view("[CHEST PA]"), std::string_view("[Springfield General]"),
                                      std::string_view("[SPRINGFIELD]"), std::string_view("[SHELBYVILLE]"),
                                      std::string_view("=CTImageStorage")}) {
    EXPECT_NE(masked.find(kept), std::string::npos) << kept << " should stay readable:\n" << masked;
  }
}

// log::setSink and DCMTK's root appender are process-wide: restored when a test ends.
class CapturedLog {
 public:
  explicit CapturedLog(log::Level level) {
    log::setLevel(level);
    log::setSink([this](log::Level, std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    });
    log::routeDcmtkLogging(level);
  }
  ~CapturedLog() {
    log::routeDcmtkLogging(log::Level::Warn);
    log::setSink({});
    log::setLevel(log::Level::Info);
  }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  std::string text() {
    std::lock_guard lock(mutex_);
    std::string all;
    for (const auto& line : lines_) all += line + "\n";
    return all;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace

TEST(DcmtkLogBridge, DataSetDumpKeepsNoIdentifyingValueInClear) {
  DcmDataset ds = identifiedStudy();
  for (const size_t flags : {size_t{0}, size_t{DCMTypes::PF_shortenLongTagValues}}) {
    SCOPED_TRACE(flags ? "shortened values" : "full values");
    const std::string clear = dump(ds, flags);
    const std::string masked = maskIdentifyingValues(clear);
    expectNoSecret(masked, clear);
    expectReadable(masked);
    EXPECT_NE(masked.find("(0010,0010) PN [" + log::mask("ZZSECRET^PATIENT") + "]"), std::string::npos) << masked;
    EXPECT_NE(masked.find("    (0010,0020) LO [" + log::mask("ZZNESTED-ID") + "]"), std::string::npos)
        << "an indented element inside a sequence item:\n" << masked;
    // Line for line: the dump keeps its shape, only values change.
    EXPECT_EQ(std::count(masked.begin(), masked.end(), '\n'), std::count(clear.begin(), clear.end(), '\n'));
  }
}

TEST(DcmtkLogBridge, DimseDumpOfAFindResponseIsMasked) {
  DcmDataset match = identifiedStudy();
  T_DIMSE_Message response;
  std::memset(&response, 0, sizeof response);
  response.CommandField = DIMSE_C_FIND_RSP;
  response.msg.CFindRSP.MessageIDBeingRespondedTo = 3;
  response.msg.CFindRSP.DimseStatus = STATUS_Pending;
  response.msg.CFindRSP.DataSetType = DIMSE_DATASET_PRESENT;
  std::strcpy(response.msg.CFindRSP.AffectedSOPClassUID, UID_FINDStudyRootQueryRetrieveInformationModel);
  response.msg.CFindRSP.opts = O_FIND_AFFECTEDSOPCLASSUID;
  OFString text;
  DIMSE_dumpMessage(text, response, DIMSE_OUTGOING, &match, 1);
  const std::string clear = text.c_str();
  ASSERT_NE(clear.find("C-FIND RSP"), std::string::npos) << clear;
  const std::string masked = maskIdentifyingValues(clear);
  expectNoSecret(masked, clear);
  expectReadable(masked);
}

TEST(DcmtkLogBridge, ValueWithALineBreakOrABracketIsMaskedWhole) {
  DcmDataset ds;
  put(ds, DCM_PatientName, "ZZFIRST]\nZZSECOND^LINE # ZZ]");
  put(ds, DCM_PatientID, "ZZ]ID");
  put(ds, DCM_StudyInstanceUID, kStudyUid);
  const std::string clear = dump(ds);
  ASSERT_NE(clear.find("ZZSECOND"), std::string::npos) << clear;
  const std::string masked = maskIdentifyingValues(clear);
  for (const std::string_view secret : {"ZZFIRST", "ZZSECOND", "LINE", "ZZ]ID"}) {
    EXPECT_EQ(masked.find(secret), std::string::npos) << secret << " in clear:\n" << masked;
  }
  EXPECT_NE(masked.find(kStudyUid), std::string::npos) << masked;
  // A dump cut off inside a value: the rest of the text is masked rather than let through.
  EXPECT_EQ(maskIdentifyingValues("(0010,0010) PN [ZZSECRET^PA"), "(0010,0010) PN [" + log::mask("ZZSECRET^PA"));
}

TEST(DcmtkLogBridge, ValueOfAnIdentifyingElementReceivedAsUnknownVrIsMasked) {
  DcmDataset ds;
  const std::string name = "ZZSECRET^PATIENT";
  auto* element = new DcmOtherByteOtherWord(DcmTag(DCM_PatientName, EVR_UN));
  ASSERT_TRUE(element->putUint8Array(reinterpret_cast<const Uint8*>(name.data()), name.size()).good());
  ASSERT_TRUE(ds.insert(element).good());
  const std::string clear = dump(ds);
  const std::string hex = "5a\\5a\\53\\45\\43\\52\\45\\54";  // "ZZSECRET" as DCMTK prints UN bytes
  ASSERT_NE(clear.find(hex), std::string::npos) << clear;
  EXPECT_EQ(maskIdentifyingValues(clear).find(hex), std::string::npos) << maskIdentifyingValues(clear);
}

TEST(DcmtkLogBridge, LinesWithoutIdentifyingValuesAreKeptAsTheyAre) {
  for (const std::string_view line : {
           "Association Received 127.0.0.1: STORESCU -> MEDVQA",
           "(0010,0010) PN (no value available)                     #   0, 0 PatientName",
           "(0010,0021) LO [SPRINGFIELD]                            #  12, 1 IssuerOfPatientID",
           "(0020,000d) UI [1.2.3.4]                                #   8, 1 StudyInstanceUID\n(0008,0060) CS [CT]",
           "DcmItem: Length of element (0010,0010) is odd",
       }) {
    EXPECT_EQ(maskIdentifyingValues(line), line);
  }
  // The dump's own format decides, not the attribute name text: a renamed tag is still masked.
  EXPECT_EQ(maskIdentifyingValues("  (0010,0020) LO [ID-ZZ-4711]  #  10, 1 SomethingElse"),
            "  (0010,0020) LO [" + log::mask("ID-ZZ-4711") + "]  #  10, 1 SomethingElse");
}

TEST(DcmtkLogBridge, TableNamesTheAttributesOfDcmtksDictionary) {
  for (const auto& attribute : log::kIdentifyingAttributes) {
    const std::string name = DcmTag(attribute.group, attribute.element).getTagName();
    const std::string keyword(attribute.keyword);
    EXPECT_TRUE(name == keyword || name == "RETIRED_" + keyword)
        << std::hex << attribute.group << "," << attribute.element << " is " << name << ", not " << keyword;
    EXPECT_TRUE(log::isIdentifying(attribute.group, attribute.element));
  }
  EXPECT_FALSE(log::isIdentifying(0x0010, 0x0021));  // IssuerOfPatientID
  EXPECT_FALSE(log::isIdentifying(0x0020, 0x000D));  // StudyInstanceUID
}

TEST(DcmtkLogBridge, DcmtkDebugLinesReachOurLogMaskedAndOnlyAtDebug) {
  const auto convert = [] {
    DcmDataset ds;
    put(ds, DCM_SpecificCharacterSet, "ISO_IR 100");
    put(ds, DCM_PatientName, "ZZSECRET^PATIENT");
    put(ds, DCM_StudyDescription, "CHEST PA");
    EXPECT_TRUE(ds.convertToUTF8().good());
  };
  {
    CapturedLog captured(log::Level::Debug);
    convert();
    const std::string text = captured.text();
    EXPECT_NE(text.find("dcmtk.dcmdata: DcmSpecificCharacterSet: Converting '" + log::mask("ZZSECRET^PATIENT") + "'"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("ZZSECRET"), std::string::npos) << text;
  }
  {
    CapturedLog captured(log::Level::Info);
    convert();
    EXPECT_EQ(captured.text().find("Converting"), std::string::npos) << "DCMTK's debug lines at info level";
  }
}
