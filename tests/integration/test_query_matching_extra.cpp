// C-FIND matching a workstation sees beyond the basics: date-time (DT) ranges with UTC offsets,
// combined date and time ranges for an SCU that negotiates them (PS3.4 C.2.2.2.5, C.5.1.1), and
// sequence keys (C.2.2.2.6), which the node does not index: ignored for matching, said with FF01.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dimse.h>
#include <dcmtk/dcmnet/extneg.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstring>
#include <memory>
#include <optional>
#include <regex>
#include <set>

#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

constexpr const char* kPatient = "QMX-1";
constexpr const char* kUidRoot = "1.2.826.0.1.3680043.10.543.77.";

// One study of one CT image, made from a generated file: the standard's combined matching
// example (July 5 to 7, 2006, 10:00 to 18:00) with an acquisition date-time per image.
struct TestStudy {
  const char* n;
  const char* date;
  const char* time;
  const char* acquired;  // AcquisitionDateTime
};
constexpr TestStudy kStudies[] = {
    {"1", "20060705", "0900", "20060705090000"},       // before the combined range starts
    {"2", "20060706", "0800", "20060706080000"},       // inside it, outside 10:00-18:00
    {"3", "20060707", "1700", "20060707180000+0100"},  // = 17:00 UTC
    {"4", "20060707", "1900", "20060707140000-0500"},  // = 19:00 UTC
    {"5", "20060705", "2000", "20060705200000"},       // inside it, outside 10:00-18:00
};

fs::path writeStudy(const fs::path& base, const TestStudy& s, const fs::path& dir) {
  DcmFileFormat file;
  EXPECT_TRUE(file.loadFile(base.c_str()).good());
  DcmDataset& ds = *file.getDataset();
  const std::string study = std::string(kUidRoot) + s.n;
  ds.putAndInsertString(DCM_PatientID, kPatient);
  ds.putAndInsertString(DCM_StudyInstanceUID, study.c_str());
  ds.putAndInsertString(DCM_SeriesInstanceUID, (study + ".1").c_str());
  ds.putAndInsertString(DCM_SOPInstanceUID, (study + ".1.1").c_str());
  ds.putAndInsertString(DCM_StudyDate, s.date);
  ds.putAndInsertString(DCM_StudyTime, s.time);
  ds.putAndInsertString(DCM_AcquisitionDateTime, s.acquired);
  const fs::path out = dir / (std::string(s.n) + ".dcm");
  EXPECT_TRUE(file.saveFile(out.c_str(), EXS_LittleEndianExplicit).good());
  return out;
}

// The study number of every StudyInstanceUID / SOPInstanceUID findscu printed for a match.
std::set<std::string> numbersIn(const std::string& output) {
  std::set<std::string> out;
  const std::regex uid(std::string(R"(UI \[)") + std::regex_replace(kUidRoot, std::regex(R"(\.)"), R"(\.)") +
                       R"((\d+))");
  for (std::sregex_iterator it(output.begin(), output.end(), uid), end; it != end; ++it) out.insert((*it)[1]);
  return out;
}

// A C-FIND over an association that asks for combined date-time matching (or not) in its SOP
// Class Extended Negotiation, as findscu cannot.
struct NegotiatedFind {
  std::optional<bool> combinedAccepted;  // the node's answer; nullopt: no reply item
  std::set<std::string> studies;
  Uint16 finalStatus = 0;
};

void collectStudy(void* data, T_DIMSE_C_FindRQ*, int, T_DIMSE_C_FindRSP*, DcmDataset* identifier) {
  OFString uid;
  identifier->findAndGetOFString(DCM_StudyInstanceUID, uid);
  static_cast<NegotiatedFind*>(data)->studies.insert(uid.substr(uid.rfind('.') + 1).c_str());
}

class Association {
 public:
  Association(const NodeUnderTest& node, bool askCombined) {
    ASC_initializeNetwork(NET_REQUESTOR, 0, 30, &net_);
    T_ASC_Parameters* params = nullptr;
    ASC_createAssociationParameters(&params, ASC_DEFAULTMAXPDU);
    ASC_setAPTitles(params, "EXTNEGSCU", node.aet().c_str(), nullptr);
    ASC_setPresentationAddresses(params, "localhost", ("127.0.0.1:" + std::to_string(node.port())).c_str());
    const char* syntaxes[] = {UID_LittleEndianExplicitTransferSyntax};
    ASC_addPresentationContext(params, 1, UID_FINDStudyRootQueryRetrieveInformationModel, syntaxes, 1);
    // Relational-queries 0, date-time matching as asked, fuzzy person names 0 (PS3.4 Table C.5-1).
    auto* item = new SOPClassExtendedNegotiationSubItem;
    item->sopClassUID = UID_FINDStudyRootQueryRetrieveInformationModel;
    item->serviceClassAppInfoLength = 3;
    item->serviceClassAppInfo = new unsigned char[3]{0, static_cast<unsigned char>(askCombined ? 1 : 0), 0};
    auto* list = new SOPClassExtendedNegotiationSubItemList;
    list->push_back(item);
    ASC_setRequestedExtNegList(params, list);  // owned by the parameters from now on
    if (ASC_requestAssociation(net_, params, &assoc_).bad()) ADD_FAILURE() << "association refused";
  }
  ~Association() {
    if (assoc_ != nullptr) {
      ASC_releaseAssociation(assoc_);
      ASC_destroyAssociation(&assoc_);
    }
    ASC_dropNetwork(&net_);
  }
  Association(const Association&) = delete;
  Association& operator=(const Association&) = delete;

  std::optional<bool> combinedAccepted() const {
    SOPClassExtendedNegotiationSubItemList* accepted = nullptr;
    ASC_getAcceptedExtNegList(assoc_->params, &accepted);
    for (const auto* item : accepted ? *accepted : SOPClassExtendedNegotiationSubItemList{}) {
      if (item->sopClassUID == UID_FINDStudyRootQueryRetrieveInformationModel) {
        return item->serviceClassAppInfoLength > 1 && item->serviceClassAppInfo[1] == 1;
      }
    }
    return std::nullopt;
  }

  void find(DcmDataset& identifier, NegotiatedFind& result) {
    T_DIMSE_C_FindRQ request;
    std::memset(&request, 0, sizeof request);
    request.MessageID = assoc_->nextMsgID++;
    request.Priority = DIMSE_PRIORITY_MEDIUM;
    request.DataSetType = DIMSE_DATASET_PRESENT;
    std::strcpy(request.AffectedSOPClassUID, UID_FINDStudyRootQueryRetrieveInformationModel);
    T_DIMSE_C_FindRSP response;
    DcmDataset* detail = nullptr;
    int responses = 0;
    const OFCondition cond = DIMSE_findUser(assoc_, 1, &request, &identifier, responses, collectStudy, &result,
                                            DIMSE_BLOCKING, 0, &response, &detail);
    delete detail;
    EXPECT_TRUE(cond.good()) << cond.text();
    result.finalStatus = response.DimseStatus;
  }

  bool connected() const { return assoc_ != nullptr; }

 private:
  T_ASC_Network* net_ = nullptr;
  T_ASC_Association* assoc_ = nullptr;
};

NegotiatedFind negotiatedStudyFind(const NodeUnderTest& node, bool askCombined, const std::string& dates,
                                   const std::string& times) {
  NegotiatedFind result;
  Association association(node, askCombined);
  if (!association.connected()) return result;
  result.combinedAccepted = association.combinedAccepted();
  DcmDataset identifier;
  identifier.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
  identifier.putAndInsertString(DCM_PatientID, kPatient);
  identifier.putAndInsertString(DCM_StudyDate, dates.c_str());
  identifier.putAndInsertString(DCM_StudyTime, times.c_str());
  identifier.insertEmptyElement(DCM_StudyInstanceUID);
  association.find(identifier, result);
  return result;
}

class QueryMatchingExtra : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Date-times without an offset are read in the node's local zone: make it UTC for the test.
    setenv("TZ", "UTC0", 1);
    files_ = new TempDir("query-extra");
    const fs::path base = filesUnder(testData("ct-explicit")).front();
    std::vector<fs::path> files;
    for (const TestStudy& s : kStudies) files.push_back(writeStudy(base, s, files_->path()));
    node_ = new NodeUnderTest();
    node_->start();
    const RunResult sent = node_->storeFiles(files);
    ASSERT_EQ(sent.exitCode, 0) << sent.output;
  }
  static void TearDownTestSuite() {
    delete node_;
    delete files_;
    unsetenv("TZ");
  }

  static RunResult findscu(const std::string& level, std::vector<std::string> keys) {
    std::vector<std::string> options = {
        "-v", "-S", "-k", "QueryRetrieveLevel=" + level, "-k", std::string("PatientID=") + kPatient};
    for (const auto& k : keys) {
      options.push_back("-k");
      options.push_back(k);
    }
    return node_->dcmtk("findscu", options);
  }

  // The test studies (by number) an IMAGE query on AcquisitionDateTime matches.
  static std::set<std::string> acquired(const std::string& value) {
    const RunResult r = findscu("IMAGE", {"AcquisitionDateTime=" + value, "SOPInstanceUID"});
    EXPECT_EQ(r.exitCode, 0) << r.output;
    EXPECT_NE(r.output.find("(Success)"), std::string::npos) << r.output;
    return numbersIn(r.output);
  }

  static TempDir* files_;
  static NodeUnderTest* node_;
};

TempDir* QueryMatchingExtra::files_ = nullptr;
NodeUnderTest* QueryMatchingExtra::node_ = nullptr;

TEST_F(QueryMatchingExtra, AcquisitionDateTimeRangesTakeOffsetsIntoAccount) {
  using S = std::set<std::string>;
  EXPECT_EQ(acquired("20060707"), (S{"3", "4"}));
  EXPECT_EQ(acquired("20060707170000-20060707180000"), S{"3"});  // 18:00+01:00 is 17:00 UTC
  EXPECT_EQ(acquired("200607071900+0000"), S{"4"});              // 14:00-05:00 is 19:00 UTC
  EXPECT_EQ(acquired("20060705-200607061200"), (S{"1", "2", "5"}));
  EXPECT_EQ(acquired("202601-"), S{});
  // A negative offset on both ends of a range: 12:00 to 14:30 at UTC-05:00 is 17:00 to 19:30 UTC.
  EXPECT_EQ(acquired("200607071200-0500-200607071430-0500"), (S{"3", "4"}));
  // The query's Timezone Offset From UTC applies to its date-times without one.
  const RunResult r =
      findscu("IMAGE", {"TimezoneOffsetFromUTC=-0500", "AcquisitionDateTime=200607071400", "SOPInstanceUID"});
  EXPECT_EQ(numbersIn(r.output), S{"4"}) << r.output;
  // The value comes back as it was received.
  const RunResult value =
      findscu("IMAGE", {"SOPInstanceUID=" + std::string(kUidRoot) + "4.1.1", "AcquisitionDateTime"});
  EXPECT_NE(value.output.find("[20060707140000-0500"), std::string::npos) << value.output;
  // A malformed value is refused (A900, logged), and the node serves the next query.
  const RunResult malformed = findscu("IMAGE", {"AcquisitionDateTime=2006-07-07", "SOPInstanceUID"});
  EXPECT_EQ(numbersIn(malformed.output).size(), 0u);
  EXPECT_NE(malformed.output.find("DoesNotMatchSOPClass"), std::string::npos) << malformed.output;
  EXPECT_NE(node_->log().find("AcquisitionDateTime: value is not a date-time"), std::string::npos) << node_->log();
  EXPECT_EQ(acquired("2006").size(), 5u);
}

TEST_F(QueryMatchingExtra, CombinedDateTimeMatchingWhenTheScuNegotiatesIt) {
  const NegotiatedFind combined = negotiatedStudyFind(*node_, true, "20060705-20060707", "1000-1800");
  EXPECT_EQ(combined.combinedAccepted, std::optional<bool>(true));
  EXPECT_EQ(combined.finalStatus, 0x0000);
  // July 5, 10:00 until July 7, 18:00.
  EXPECT_EQ(combined.studies, (std::set<std::string>{"2", "3", "5"}));

  const NegotiatedFind separate = negotiatedStudyFind(*node_, false, "20060705-20060707", "1000-1800");
  EXPECT_EQ(separate.combinedAccepted, std::optional<bool>(false));
  EXPECT_EQ(separate.studies, (std::set<std::string>{"3"}));  // 10:00-18:00 on each of the days

  // findscu negotiates nothing: separate matching too.
  const RunResult r = findscu("STUDY", {"StudyDate=20060705-20060707", "StudyTime=1000-1800", "StudyInstanceUID"});
  EXPECT_EQ(numbersIn(r.output), (std::set<std::string>{"3"})) << r.output;
}

TEST_F(QueryMatchingExtra, SequenceKeysAreUniversalOrIgnoredWithAWarning) {
  const RunResult empty = findscu("STUDY", {"StudyInstanceUID", "ProcedureCodeSequence[0]"});
  ASSERT_EQ(empty.exitCode, 0) << empty.output;
  // An empty item is universal matching: every study, no warning, the sequence returned with
  // what the node knows about it: nothing.
  EXPECT_EQ(numbersIn(empty.output).size(), 5u) << empty.output;
  EXPECT_FALSE(std::regex_search(empty.output, std::regex("unsupported", std::regex::icase))) << empty.output;
  EXPECT_NE(empty.output.find("(0008,1032) SQ (Sequence with explicit length #=0)"), std::string::npos) << empty.output;

  const RunResult r = findscu("STUDY", {"StudyInstanceUID", "ProcedureCodeSequence[0].CodeValue=NO-SUCH-CODE",
                                        "ProcedureCodeSequence[0].CodingSchemeDesignator=DCM"});
  ASSERT_EQ(r.exitCode, 0) << r.output;
  // Item keys with values: not a filter (PS3.4 C.2.2.1.3), every study, each response Pending
  // with the FF01 warning, and the node's log says which key it ignored.
  EXPECT_EQ(numbersIn(r.output).size(), 5u) << r.output;
  const std::regex warning(R"(Find Response: \d+ \(Pending[^)]*Unsupported)", std::regex::icase);
  EXPECT_EQ(std::distance(std::sregex_iterator(r.output.begin(), r.output.end(), warning), std::sregex_iterator()), 5)
      << r.output;
  EXPECT_NE(node_->log().find("ignored (Pending FF01): ProcedureCodeSequence (0008,1032)"), std::string::npos)
      << node_->log();
}

}  // namespace
