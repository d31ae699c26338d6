// The audit trail of a real medvqa-scp (docs/operations.md, "Audit trail"): DCMTK's tools and an
// HTTP client do things to it, and the audit file must say who did what to which study, in DICOM
// audit messages (PS3.15 A.5) that libxml2 parses and the audit RELAX NG schema accepts. The same
// messages must reach a syslog collector (RFC 5424 in RFC 6587 frames over TCP).
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>

#include "audit_messages.h"
#include "dicom_files.h"
#include "jwt_tokens.h"
#include "node_under_test.h"
#include "process.h"
#include "syslog_listener.h"

namespace {

namespace fs = std::filesystem;
using medvqa::test::AuditMessage;
using medvqa::test::NodeUnderTest;
using medvqa::test::TempDir;

const std::string kSecret = "audit-trail-test-secret-0123456789abcdef";

fs::path oneCrInstance() {
  for (const auto& f : medvqa::test::corpusFiles()) {
    if (f.string().find("cr-explicit") != std::string::npos) return f;
  }
  throw std::runtime_error("no CR instance in the test corpus");
}

// The format-1 tiny model: its questions are not screened, so the built-in rules (whose types the
// tiny models do not all have) still start; what is audited does not depend on the model.
fs::path tinyModel() { return fs::path(MEDVQA_BUILD_DIR) / "testmodels" / "tiny-model-v1"; }

// The messages for which `match` holds.
std::vector<const AuditMessage*> where(const std::vector<AuditMessage>& all,
                                       const std::function<bool(const AuditMessage&)>& match) {
  std::vector<const AuditMessage*> out;
  for (const auto& m : all) {
    if (match(m)) out.push_back(&m);
  }
  return out;
}

std::string requestor(const AuditMessage& m) {
  return m.text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@UserID");
}

std::string objectId(const AuditMessage& m, const std::string& idTypeCode) {
  return m.text("/AuditMessage/ParticipantObjectIdentification[ParticipantObjectIDTypeCode/@csd-code='" + idTypeCode +
                "']/@ParticipantObjectID");
}

// Polls the file until `enough` holds: association-end messages are written after the peer
// has its answer, so a test may read a moment before they land.
std::vector<AuditMessage> readWhen(const fs::path& file, const std::function<bool(const std::vector<AuditMessage>&)>& enough) {
  std::vector<AuditMessage> messages;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    messages = medvqa::test::readAuditFile(file);
    if (enough(messages)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < deadline);
  return messages;
}

TEST(AuditTrail, RecordsWhoDidWhatToWhichStudy) {
  TempDir dir("audit-trail");
  const fs::path auditFile = dir / "audit.log";
  const fs::path secret = dir / "jwt-secret";
  std::ofstream(secret) << kSecret << "\n";
  ::chmod(secret.c_str(), 0600);
  NodeUnderTest node({"--audit-file", auditFile.string(), "--accept-aet", "TESTSCU", "--jwt-hs256-secret-file",
                      secret.string(), "--model", tinyModel().string(), "--stable-age", "3600"});
  node.start();

  const fs::path instance = oneCrInstance();
  const std::string studyUid = medvqa::test::attribute(instance, DCM_StudyInstanceUID);
  const std::string patientId = medvqa::test::attribute(instance, DCM_PatientID);
  const std::string sopClass = medvqa::test::attribute(instance, DCM_SOPClassUID);
  ASSERT_FALSE(studyUid.empty());

  ASSERT_EQ(node.dcmtk("echoscu", {}).exitCode, 0);
  ASSERT_EQ(node.storeFiles({instance}).exitCode, 0);
  ASSERT_EQ(node.dcmtk("findscu", {"-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid,
                                   "-k", "PatientID"})
                .exitCode,
            0);
  const fs::path retrieved = dir / "retrieved";
  fs::create_directories(retrieved);
  const auto get = node.dcmtk("getscu", {"-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid,
                                         "-od", retrieved.string()});
  ASSERT_EQ(get.exitCode, 0) << get.output;
  EXPECT_NE(node.dcmtk("echoscu", {}, {}, "INTRUDER").exitCode, 0);

  httplib::Client client("127.0.0.1", node.httpPort());
  client.set_read_timeout(60, 0);
  const auto anonymous = client.Get("/studies");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  const std::string radiologist =
      medvqa::test::mintJwt("HS256", kSecret, medvqa::test::tokenClaims({"radiologist"}, std::chrono::hours(1), "dr.audit"));
  const auto asked = client.Post(("/studies/" + studyUid + "/questions").c_str(),
                                 httplib::Headers{{"Authorization", "Bearer " + radiologist}},
                                 R"({"question": "What is the modality?", "sr": true})", "application/json");
  ASSERT_TRUE(asked);
  ASSERT_EQ(asked->status, 200) << asked->body;
  EXPECT_EQ(node.stop(), 0);

  struct stat info {};
  ASSERT_EQ(::stat(auditFile.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const auto all = medvqa::test::readAuditFile(auditFile);
  ASSERT_GE(all.size(), 10u);
  for (const auto& m : all) EXPECT_EQ(m.schemaErrors(), "") << m.xml();
  for (const auto& m : all) EXPECT_EQ(m.text("/AuditMessage/AuditSourceIdentification/@AuditSourceID"), "MEDVQA");

  // Application start first, stop last.
  EXPECT_EQ(all.front().eventId(), "110100");
  EXPECT_EQ(all.front().eventType(), "110120");
  EXPECT_EQ(all.back().eventId(), "110100");
  EXPECT_EQ(all.back().eventType(), "110121");

  // Associations: Login/Logout for each accepted one (echo, store, find, get), the intruder refused.
  const auto logins = where(all, [](const AuditMessage& m) {
    return m.eventId() == "110114" && m.eventType() == "110122" && m.outcome() == "0" && requestor(m) == "TESTSCU";
  });
  const auto logouts = where(all, [](const AuditMessage& m) { return m.eventType() == "110123"; });
  EXPECT_GE(logins.size(), 4u);
  EXPECT_EQ(logins.size(), logouts.size());
  ASSERT_FALSE(logins.empty());
  EXPECT_EQ(logins[0]->text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@NetworkAccessPointID"),
            "127.0.0.1");
  const auto refused = where(all, [](const AuditMessage& m) { return m.eventId() == "110114" && m.outcome() == "4"; });
  const auto intruder = std::find_if(refused.begin(), refused.end(), [](const AuditMessage* m) { return requestor(*m) == "INTRUDER"; });
  ASSERT_NE(intruder, refused.end());
  EXPECT_NE((*intruder)->text("//EventOutcomeDescription").find("acceptedCallingAets"), std::string::npos);

  // The stored instance: DICOM Instances Transferred, Create, from TESTSCU, naming study + patient.
  const auto received = where(all, [](const AuditMessage& m) { return m.eventId() == "110104" && m.action() == "C"; });
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(requestor(*received[0]), "TESTSCU");
  EXPECT_EQ(objectId(*received[0], "110180"), studyUid);
  EXPECT_EQ(objectId(*received[0], "2"), patientId);
  EXPECT_EQ(received[0]->text("//SOPClass/@UID"), sopClass);
  EXPECT_EQ(received[0]->text("//SOPClass/@NumberOfInstances"), "1");
  EXPECT_EQ(received[0]->text("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@UserID"), "MEDVQA");

  // The C-FIND: Query with the identifier as sent (it names the study UID we asked for).
  const auto queries = where(all, [](const AuditMessage& m) { return m.eventId() == "110112"; });
  ASSERT_EQ(queries.size(), 1u);
  EXPECT_EQ(requestor(*queries[0]), "TESTSCU");
  EXPECT_EQ(objectId(*queries[0], "110181"), "1.2.840.10008.5.1.4.1.2.2.1");  // Study Root FIND
  const std::string query = medvqa::test::base64Decode(queries[0]->text("//ParticipantObjectQuery"));
  EXPECT_NE(query.find(studyUid), std::string::npos);
  EXPECT_NE(medvqa::test::base64Decode(queries[0]->text("//ParticipantObjectDetail[@type='TransferSyntax']/@value"))
                .find("1.2.840.10008.1.2"),
            std::string::npos);

  // The C-GET: DICOM Instances Transferred, Read, to the requestor itself.
  const auto sent = where(all, [](const AuditMessage& m) { return m.eventId() == "110104" && m.action() == "R"; });
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]->outcome(), "0");
  EXPECT_EQ(sent[0]->text("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@UserID"), "TESTSCU");
  EXPECT_EQ(sent[0]->text("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@UserID"), "MEDVQA");
  EXPECT_EQ(objectId(*sent[0], "110180"), studyUid);
  EXPECT_EQ(objectId(*sent[0], "2"), patientId);

  // HTTP: the request without a token, then the radiologist's question and the SR it wrote.
  const auto unauthenticated = where(all, [](const AuditMessage& m) {
    return m.eventId() == "110114" && m.outcome() == "4" && m.text("//ParticipantObjectName") == "GET /studies";
  });
  ASSERT_EQ(unauthenticated.size(), 1u);
  EXPECT_NE(unauthenticated[0]->text("//EventOutcomeDescription").find("HTTP 401"), std::string::npos);
  const auto questions = where(all, [](const AuditMessage& m) { return m.eventId() == "110103" && m.action() == "R"; });
  ASSERT_EQ(questions.size(), 1u);
  EXPECT_EQ(requestor(*questions[0]), "dr.audit");
  EXPECT_EQ(questions[0]->text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@NetworkAccessPointID"),
            "127.0.0.1");
  EXPECT_EQ(objectId(*questions[0], "110180"), studyUid);
  EXPECT_EQ(medvqa::test::base64Decode(questions[0]->text("//ParticipantObjectDetail[@type='Question']/@value")),
            "What is the modality?");
  const auto reports = where(all, [](const AuditMessage& m) { return m.eventId() == "110103" && m.action() == "C"; });
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0]->outcome(), "0");
  EXPECT_EQ(objectId(*reports[0], "110180"), studyUid);
  EXPECT_EQ(objectId(*reports[0], "2"), patientId);
  EXPECT_EQ(reports[0]->text("//SOPClass/@UID"), "1.2.840.10008.5.1.4.1.1.88.33");  // Comprehensive SR
}

TEST(AuditTrail, AnAuditFileThatCannotBeOpenedStopsTheStart) {
  TempDir dir("audit-trail-bad");
  const auto r = medvqa::test::run({medvqa::test::buildBin("medvqa-scp").string(), "--port", "0", "--http-port", "off",
                                    "--storage", (dir / "storage").string(), "--answering", "off", "--audit-file",
                                    (dir / "missing" / "audit.log").string()});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.output.find("'audit.file'"), std::string::npos) << r.output;
}

TEST(AuditTrail, SendsTheSameMessagesToASyslogCollector) {
  medvqa::test::SyslogListener collector;
  TempDir dir("audit-syslog");
  const fs::path auditFile = dir / "audit.log";
  NodeUnderTest node({"--audit-file", auditFile.string(), "--audit-syslog", "127.0.0.1:" + std::to_string(collector.port()),
                      "--answering", "off"});
  node.start();
  ASSERT_EQ(node.dcmtk("echoscu", {}).exitCode, 0);
  EXPECT_EQ(node.stop(), 0);  // start, login, logout, stop

  const auto frames = collector.waitForFrames(4, std::chrono::seconds(10));
  const auto file = readWhen(auditFile, [](const auto& m) { return m.size() >= 4; });
  ASSERT_EQ(frames.size(), file.size());
  EXPECT_EQ(collector.framingError(), "");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const auto syslog = medvqa::test::parseSyslog(frames[i]);
    EXPECT_EQ(syslog.pri, "85");  // facility 10 (authpriv), severity 5 (notice)
    EXPECT_EQ(syslog.version, "1");
    EXPECT_EQ(syslog.appName, "medvqa-scp");
    EXPECT_EQ(syslog.msgId, "IHE+RFC-3881");
    EXPECT_EQ(syslog.structuredData, "-");
    EXPECT_TRUE(syslog.bom);
    EXPECT_EQ(syslog.msg, file[i].xml());
    const AuditMessage m(syslog.msg);
    EXPECT_EQ(m.schemaErrors(), "");
  }
  std::string events;
  for (const auto& m : file) events += m.eventId() + "/" + m.eventType() + "/" + m.outcome() + " ";
  ASSERT_EQ(file.size(), 4u) << events;
  EXPECT_EQ(file[0].eventType(), "110120");
  EXPECT_EQ(file[1].eventType(), "110122");
  EXPECT_EQ(file[2].eventType(), "110123");
  EXPECT_EQ(file[3].eventType(), "110121");
}

}  // namespace
