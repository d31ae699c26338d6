// The plugin's ATNA audit trail ("MedVQA.audit", the node's keys): a real Orthanc with the plugin
// answers a study and forwards the SR to a DCMTK storescp "PACS"; the audit file and a syslog
// collector must then hold the same DICOM audit messages (PS3.15 A.5), valid against the schema
// the node's audit tests use, saying that the plugin started and stopped, wrote the SR into the
// study and forwarded it, and that an Orthanc user asked a question, with Orthanc's AE title as
// the audit source.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "audit_messages.h"
#include "dicom_files.h"
#include "orthanc_under_test.h"
#include "plugin_config.h"
#include "storescp_peer.h"
#include "syslog_listener.h"

namespace fs = std::filesystem;
namespace test = medvqa::test;
using namespace std::chrono_literals;
using nlohmann::json;
using test::AuditMessage;

namespace {

std::vector<const AuditMessage*> where(const std::vector<AuditMessage>& all,
                                       const std::function<bool(const AuditMessage&)>& match) {
  std::vector<const AuditMessage*> out;
  for (const auto& m : all) {
    if (match(m)) out.push_back(&m);
  }
  return out;
}

std::string objectId(const AuditMessage& m, const std::string& idTypeCode) {
  return m.text("/AuditMessage/ParticipantObjectIdentification[ParticipantObjectIDTypeCode/@csd-code='" + idTypeCode +
                "']/@ParticipantObjectID");
}

std::string role(const AuditMessage& m, const std::string& roleCode, const std::string& attribute) {
  return m.text("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='" + roleCode + "']/@" + attribute);
}

TEST(PluginAudit, TheSrWrittenAndForwardedAndThePluginsStartAndStopAreAudited) {
  test::TempDir work("plugin-audit");
  const auto truth = test::synthStudies(work / "set", 1, 4242);
  const std::string studyUid = truth[0].studyUid;
  const auto sources = test::filesUnder(work / "set" / truth[0].studyDir);
  const std::string patientId = test::attribute(sources.at(0), DCM_PatientID);

  const test::StorescpPeer pacs("PACS", {"+uf"});  // the PACS the plugin forwards the SR to
  test::SyslogListener collector;

  test::OrthancUnderTest orthanc(
      {.medvqa = {{"model", test::demoModel().string()},
                  {"forward", {"pacs"}},
                  // relative: Orthanc's configuration folder, as every path of the section
                  {"audit", {{"file", "audit.log"},
                             {"enterpriseSiteId", "Hospital A"},
                             {"syslog", {{"host", "127.0.0.1"}, {"port", collector.port()}}}}}},
       .extra = {{"DicomModalities", {{"pacs", {"PACS", "127.0.0.1", pacs.port()}}}}}});
  orthanc.start();
  ASSERT_EQ(orthanc.store(sources).exitCode, 0);
  const auto studyId = orthanc.studyId(studyUid);
  ASSERT_TRUE(studyId);
  ASSERT_TRUE(test::waitFor([&] { return !orthanc.srSeries(*studyId).empty(); }, 90s)) << orthanc.log();
  ASSERT_TRUE(test::waitFor([&] {
    const auto all = orthanc.getJson("/medvqa/deliveries")["deliveries"];
    return !all.empty() && std::all_of(all.begin(), all.end(), [](const json& d) { return d["state"] == "sent"; });
  }, 30s)) << orthanc.get("/medvqa/deliveries").body;
  const std::string srId = orthanc.srSeries(*studyId)[0]["Instances"][0];
  const std::string srUid = orthanc.getJson("/instances/" + srId)["MainDicomTags"].value("SOPInstanceUID", "");
  // A radiologist's question through Orthanc's REST API, with Orthanc's Basic credentials.
  const auto asked = orthanc.postAs("dr.plugin", "/medvqa/studies/" + *studyId + "/questions",
                                    R"({"question": "What is the modality?"})");
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(orthanc.stop(), 0) << orthanc.log();

  const auto all = test::readAuditFile(orthanc.configFolder() / "audit.log");
  ASSERT_GE(all.size(), 5u);
  for (const auto& m : all) {
    EXPECT_EQ(m.schemaErrors(), "") << m.xml();
    EXPECT_EQ(m.text("/AuditMessage/AuditSourceIdentification/@AuditSourceID"), "ORTHANC");
    EXPECT_EQ(m.text("/AuditMessage/AuditSourceIdentification/@AuditEnterpriseSiteID"), "Hospital A");
  }
  EXPECT_EQ(all.front().eventId(), "110100");
  EXPECT_EQ(all.front().eventType(), "110120");
  EXPECT_EQ(all.back().eventId(), "110100");
  EXPECT_EQ(all.back().eventType(), "110121");

  // The SR written into the study: DICOM Instances Accessed, Create, naming the study and patient.
  const auto created = where(all, [](const AuditMessage& m) { return m.eventId() == "110103" && m.action() == "C"; });
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0]->outcome(), "0");
  EXPECT_EQ(objectId(*created[0], "110180"), studyUid);
  EXPECT_EQ(objectId(*created[0], "2"), patientId);
  EXPECT_EQ(created[0]->text("//SOPClass/@UID"), "1.2.840.10008.5.1.4.1.1.88.33");
  EXPECT_NE(created[0]->xml().find(srUid), std::string::npos) << created[0]->xml();

  // The question: DICOM Instances Accessed, Read, the Orthanc user as requestor, the question
  // in the details, as the node records its API's questions.
  const auto questions = where(all, [](const AuditMessage& m) { return m.eventId() == "110103" && m.action() == "R"; });
  ASSERT_EQ(questions.size(), 1u);
  EXPECT_EQ(questions[0]->outcome(), "0");
  EXPECT_EQ(questions[0]->text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@UserID"), "dr.plugin");
  EXPECT_EQ(objectId(*questions[0], "110180"), studyUid);
  EXPECT_EQ(test::base64Decode(questions[0]->text("//ParticipantObjectDetail[@type='Question']/@value")),
            "What is the modality?");

  // Forwarded to the PACS through Orthanc's modality: DICOM Instances Transferred, Read, from
  // Orthanc to the modality's AE title at its host.
  const auto forwarded = where(all, [](const AuditMessage& m) { return m.eventId() == "110104" && m.action() == "R"; });
  ASSERT_EQ(forwarded.size(), 1u);
  EXPECT_EQ(forwarded[0]->outcome(), "0");
  EXPECT_EQ(objectId(*forwarded[0], "110180"), studyUid);
  EXPECT_EQ(objectId(*forwarded[0], "2"), patientId);
  EXPECT_EQ(role(*forwarded[0], "110153", "UserID"), "ORTHANC");
  EXPECT_EQ(role(*forwarded[0], "110152", "UserID"), "PACS");
  EXPECT_EQ(role(*forwarded[0], "110152", "NetworkAccessPointID"), "127.0.0.1");
  EXPECT_EQ(forwarded[0]->text("//SOPClass/@NumberOfInstances"), "1");

  // The same messages reached the collector, in the node's syslog format, named for the plugin.
  const auto frames = collector.waitForFrames(all.size(), 10s);
  ASSERT_EQ(frames.size(), all.size());
  EXPECT_EQ(collector.framingError(), "");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const auto syslog = test::parseSyslog(frames[i]);
    EXPECT_EQ(syslog.appName, "OrthancMedVQA");
    EXPECT_EQ(syslog.msgId, "IHE+RFC-3881");
    EXPECT_EQ(syslog.msg, all[i].xml());
  }
}

TEST(PluginAudit, TheSectionHasTheNodesKeysWithPathsRelativeToOrthancsConfigFolder) {
  const json orthanc = {{"DicomAet", "ARCHIVE"},
                        {"MedVQA", {{"audit", {{"file", "logs/audit.log"},
                                               {"syslog", {{"host", "arr.example"},
                                                           {"port", 6514},
                                                           {"tls", true},
                                                           {"ca", "ca.pem"},
                                                           {"certificate", "/etc/pki/medvqa.pem"},
                                                           {"privateKey", "key.pem"}}}}}}}};
  const auto config = medvqa::plugin::pluginConfigFromOrthanc(orthanc, "/etc/orthanc", "");
  EXPECT_EQ(config.aet, "ARCHIVE");
  EXPECT_EQ(config.audit.file, "/etc/orthanc/logs/audit.log");
  EXPECT_EQ(config.audit.syslog.host, "arr.example");
  EXPECT_EQ(config.audit.syslog.port, 6514);
  EXPECT_TRUE(config.audit.syslog.tls);
  EXPECT_EQ(config.audit.syslog.ca, "/etc/orthanc/ca.pem");
  EXPECT_EQ(config.audit.syslog.certificate, "/etc/pki/medvqa.pem");
  EXPECT_EQ(config.audit.syslog.privateKey, "/etc/orthanc/key.pem");

  EXPECT_FALSE(medvqa::plugin::pluginConfigFromOrthanc(json::object(), "/etc/orthanc", "").audit.enabled())
      << "no section: no audit, as for the node";
  EXPECT_EQ(medvqa::plugin::pluginConfigFromOrthanc(json::object(), "/etc/orthanc", "").aet, "ORTHANC");

  auto error = [](const json& audit) {
    try {
      medvqa::plugin::pluginConfigFromOrthanc({{"MedVQA", {{"audit", audit}}}}, "/etc/orthanc", "");
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(error({{"fil", "a.log"}}).find("'MedVQA.audit.fil'"), std::string::npos) << error({{"fil", "a.log"}});
  EXPECT_NE(error({{"syslog", {{"host", "arr"}}}}).find("'MedVQA.audit.syslog.port'"), std::string::npos)
      << error({{"syslog", {{"host", "arr"}}}});
}

}  // namespace
