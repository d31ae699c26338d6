// Audit messages (core/audit): each event as one DICOM AuditMessage (PS3.15 A.5.1) that a real
// XML parser reads back and the audit RELAX NG schema accepts, whatever the peers put in it.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "audit/api_events.h"
#include "audit/audit_trail.h"
#include "audit/audit_xml.h"
#include "audit/dicom_events.h"
#include "audit_messages.h"
#include "common/error.h"

namespace {

using namespace medvqa;
using medvqa::test::AuditMessage;

audit::StudyTally::Counts counts(std::uint64_t ct, std::uint64_t failed = 0) {
  audit::StudyTally tally;
  for (std::uint64_t i = 0; i < ct; ++i) tally.add("1.2.3", "1.2.840.10008.5.1.4.1.1.2", i >= failed);
  return tally.studies().at("1.2.3");
}

const audit::StudyRef kStudy{"1.2.3", "PID-7", "DOE^JANE", "ACC42"};
const audit::AuditSource kSource{"Site A", "MEDVQA", "4"};

AuditMessage messageOf(audit::AuditEvent event) {
  if (event.source.sourceId.empty()) event.source = kSource;
  return AuditMessage(audit::toXml(event));
}

TEST(AuditXml, HostileValuesStayValuesAndTheMessageStaysOneValidLine) {
  const std::string hostileAet = "EVIL\"><x a='1'>&";
  const std::string hostileUid = "1.2\"><x";
  const std::string name = std::string("O'Brien\n<Pat>\r\tname\x01 \xff\xfe end");
  audit::StudyRef study{hostileUid, "ID\"&<", name, "A<\"'>"};
  const auto event = audit::instancesReceived({hostileAet, "10.0.0.1"}, "MEDVQA", study, counts(2));
  const std::string xml = audit::toXml([&] {
    auto e = event;
    e.source = kSource;
    return e;
  }());
  EXPECT_EQ(xml.find('\n'), std::string::npos);
  EXPECT_EQ(xml.find('\r'), std::string::npos);
  const AuditMessage m(xml);
  EXPECT_EQ(m.schemaErrors(), "");
  EXPECT_EQ(m.count("//x"), 0) << xml;
  EXPECT_EQ(m.text("/AuditMessage/ActiveParticipant[1]/@UserID"), hostileAet);
  EXPECT_EQ(m.text("/AuditMessage/ParticipantObjectIdentification[1]/@ParticipantObjectID"), hostileUid);
  EXPECT_EQ(m.text("/AuditMessage/ParticipantObjectIdentification[2]/@ParticipantObjectID"), "ID\"&<");
  // Line breaks and tabs survive as character references; a control character and bytes that are
  // not UTF-8 (which XML 1.0 cannot carry at all) become U+FFFD.
  EXPECT_EQ(m.text("/AuditMessage/ParticipantObjectIdentification[2]/ParticipantObjectName"),
            "O'Brien\n<Pat>\r\tname\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD end");
  EXPECT_EQ(m.text("//Accession/@Number"), "A<\"'>");
}

TEST(AuditXml, EscapeKeepsValidUtf8AndRejectsWhatXmlCannotHold) {
  EXPECT_EQ(audit::escapeXml("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
  EXPECT_EQ(audit::escapeXml("Gr\xC3\xBC\xC3\x9F" "e \xE6\x97\xA5"), "Gr\xC3\xBC\xC3\x9F" "e \xE6\x97\xA5");
  EXPECT_EQ(audit::escapeXml("\n\r\t"), "&#10;&#13;&#9;");
  EXPECT_EQ(audit::escapeXml(std::string("\0", 1)), "\xEF\xBF\xBD");
  EXPECT_EQ(audit::escapeXml("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");      // overlong '/'
  EXPECT_EQ(audit::escapeXml("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(audit::escapeXml("\xEF\xBF\xBE"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFE
  EXPECT_EQ(audit::escapeXml("\xE6\x97"), "\xEF\xBF\xBD\xEF\xBF\xBD");      // truncated
}

TEST(AuditXml, DateTimeIsUtcWithMilliseconds) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1714558272345));
  EXPECT_EQ(audit::xsdDateTime(t), "2024-05-01T10:11:12.345Z");
}

struct Case {
  std::string label;
  audit::AuditEvent event;
  std::string eventId, eventType, action, outcome;
};

std::vector<Case> everyEvent() {
  const audit::Peer caller{"MODALITY", "192.168.1.20"};
  const audit::Peer archive{"PACS", "pacs.example.org"};
  return {
      {"start", audit::applicationActivity(true, "MEDVQA"), "110100", "110120", "E", "0"},
      {"stop", audit::applicationActivity(false, "MEDVQA"), "110100", "110121", "E", "0"},
      {"login", audit::associationOpened(caller, "MEDVQA"), "110114", "110122", "E", "0"},
      {"logout", audit::associationClosed(caller, "MEDVQA"), "110114", "110123", "E", "0"},
      {"refused", audit::associationRefused(caller, "MEDVQA", "calling AE not listed"), "110114", "110122", "E", "4"},
      {"tls refused", audit::nodeAuthenticationFailed("192.168.1.20:40112", "MEDVQA", "certificate verify failed"),
       "110113", "110126", "E", "4"},
      {"received", audit::instancesReceived(caller, "MEDVQA", kStudy, counts(3)), "110104", "", "C", "0"},
      {"query",
       audit::queryReceived(caller, "MEDVQA", "1.2.840.10008.5.1.4.1.2.2.1", std::string("\x08\x00\x52\x00", 4),
                            "1.2.840.10008.1.2.1", audit::Outcome::Success),
       "110112", "", "E", "0"},
      {"c-get", audit::instancesSent(caller, caller, "MEDVQA", kStudy, counts(4)), "110104", "", "R", "0"},
      {"c-move failed", audit::instancesSent(caller, archive, "MEDVQA", kStudy, counts(4, 1)), "110104", "", "R", "4"},
      {"sr", audit::reportCreated("MEDVQA", kStudy, "1.2.840.10008.5.1.4.1.1.88.33", "1.2.3.4.5", audit::Outcome::Success),
       "110103", "", "C", "0"},
      {"forwarded", audit::reportsForwarded("MEDVQA", archive, kStudy, counts(1, 1), "refused"), "110104", "", "R", "8"},
      {"exported", audit::dataExported("MEDVQA", "s3://bucket/prefix", kStudy, counts(2)), "110106", "", "R", "0"},
      {"asked",
       audit::studyQuestioned({"dr.who", "127.0.0.1"}, "MEDVQA", kStudy, audit::Action::Read, "effusion?",
                              audit::Outcome::Success),
       "110103", "", "R", "0"},
      {"401", audit::httpRefused({"", "127.0.0.1"}, "MEDVQA", 401, "GET", "/studies", "no bearer token"), "110114",
       "110122", "E", "4"},
      {"403", audit::httpRefused({"dr.who", "127.0.0.1"}, "MEDVQA", 403, "POST", "/studies/1/answer", "role"),
       "110113", "110132", "E", "4"},
  };
}

TEST(AuditXml, EveryEventIsValidAgainstTheDicomAuditSchema) {
  for (const auto& c : everyEvent()) {
    SCOPED_TRACE(c.label);
    const AuditMessage m = messageOf(c.event);
    EXPECT_EQ(m.schemaErrors(), "") << m.xml();
    EXPECT_EQ(m.eventId(), c.eventId);
    EXPECT_EQ(m.text("/AuditMessage/EventIdentification/EventID/@codeSystemName"), "DCM");
    EXPECT_EQ(m.eventType(), c.eventType);
    EXPECT_EQ(m.action(), c.action);
    EXPECT_EQ(m.outcome(), c.outcome);
    EXPECT_EQ(m.text("/AuditMessage/AuditSourceIdentification/@AuditSourceID"), "MEDVQA");
    EXPECT_EQ(m.text("/AuditMessage/AuditSourceIdentification/@AuditEnterpriseSiteID"), "Site A");
    EXPECT_EQ(m.text("/AuditMessage/AuditSourceIdentification/AuditSourceTypeCode/@csd-code"), "4");
    EXPECT_EQ(m.count("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']"), 1);
    if (c.outcome != "0") {
      EXPECT_NE(m.text("//EventOutcomeDescription"), "");
    }
  }
}

TEST(AuditXml, TheSchemaRejectsWhatTheStandardForbids) {
  const std::string good = audit::toXml([] {
    auto e = audit::associationOpened({"A", "127.0.0.1"}, "MEDVQA");
    e.source = kSource;
    return e;
  }());
  ASSERT_EQ(AuditMessage(good).schemaErrors(), "");
  auto bad = good;
  bad.replace(bad.find("EventOutcomeIndicator=\"0\""), 25, "EventOutcomeIndicator=\"3\"");
  EXPECT_NE(AuditMessage(bad).schemaErrors(), "");
  bad = good;
  bad.replace(bad.find("<AuditSourceIdentification"), 0, "<Extra/>");
  EXPECT_NE(AuditMessage(bad).schemaErrors(), "");
}

TEST(AuditXml, StudyAndPatientObjectsCarryTheirCodesAndCounts) {
  const AuditMessage m = messageOf(audit::instancesReceived({"MODALITY", "192.168.1.20"}, "MEDVQA", kStudy, counts(3)));
  const std::string study = "/AuditMessage/ParticipantObjectIdentification[ParticipantObjectIDTypeCode/@csd-code='110180']";
  EXPECT_EQ(m.text(study + "/@ParticipantObjectID"), "1.2.3");
  EXPECT_EQ(m.text(study + "/@ParticipantObjectTypeCode"), "2");
  EXPECT_EQ(m.text(study + "/@ParticipantObjectTypeCodeRole"), "3");
  EXPECT_EQ(m.text(study + "/ParticipantObjectDescription/SOPClass/@UID"), "1.2.840.10008.5.1.4.1.1.2");
  EXPECT_EQ(m.text(study + "/ParticipantObjectDescription/SOPClass/@NumberOfInstances"), "3");
  EXPECT_EQ(m.text(study + "/ParticipantObjectDescription/Accession/@Number"), "ACC42");
  const std::string patient = "/AuditMessage/ParticipantObjectIdentification[@ParticipantObjectTypeCode='1']";
  EXPECT_EQ(m.text(patient + "/@ParticipantObjectID"), "PID-7");
  EXPECT_EQ(m.text(patient + "/@ParticipantObjectTypeCodeRole"), "1");
  EXPECT_EQ(m.text(patient + "/ParticipantObjectIDTypeCode/@csd-code"), "2");
  EXPECT_EQ(m.text(patient + "/ParticipantObjectIDTypeCode/@originalText"), "Patient Number");
  const std::string source = "/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']";
  EXPECT_EQ(m.text(source + "/@UserID"), "MODALITY");
  EXPECT_EQ(m.text(source + "/@UserIsRequestor"), "true");
  EXPECT_EQ(m.text(source + "/@NetworkAccessPointID"), "192.168.1.20");
  EXPECT_EQ(m.text(source + "/@NetworkAccessPointTypeCode"), "2");
  EXPECT_EQ(m.text("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']/@UserID"), "MEDVQA");
}

TEST(AuditXml, QueryCarriesTheIdentifierBytesAndTransferSyntax) {
  const std::string bytes("\x08\x00\x52\x00\x06\x00\x00\x00STUDY ", 14);
  const AuditMessage m = messageOf(audit::queryReceived({"WS", "10.1.1.1"}, "MEDVQA", "1.2.840.10008.5.1.4.1.2.2.1",
                                                        bytes, "1.2.840.10008.1.2.1", audit::Outcome::Success));
  const std::string query = "/AuditMessage/ParticipantObjectIdentification";
  EXPECT_EQ(m.text(query + "/ParticipantObjectIDTypeCode/@csd-code"), "110181");
  EXPECT_EQ(m.text(query + "/@ParticipantObjectID"), "1.2.840.10008.5.1.4.1.2.2.1");
  EXPECT_EQ(medvqa::test::base64Decode(m.text(query + "/ParticipantObjectQuery")), bytes);
  EXPECT_EQ(m.text(query + "/ParticipantObjectDetail/@type"), "TransferSyntax");
  EXPECT_EQ(medvqa::test::base64Decode(m.text(query + "/ParticipantObjectDetail/@value")), "1.2.840.10008.1.2.1");
}

TEST(AuditXml, MoveNamesTheDestinationAndTheRequestorApart) {
  const AuditMessage m = messageOf(
      audit::instancesSent({"WS", "10.1.1.1"}, {"PACS", "pacs.example.org"}, "MEDVQA", kStudy, counts(4, 1)));
  const std::string destination = "/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110152']";
  EXPECT_EQ(m.text(destination + "/@UserID"), "PACS");
  EXPECT_EQ(m.text(destination + "/@UserIsRequestor"), "false");
  EXPECT_EQ(m.text(destination + "/@NetworkAccessPointTypeCode"), "1");  // a host name
  EXPECT_EQ(m.text("/AuditMessage/ActiveParticipant[@UserIsRequestor='true']/@UserID"), "WS");
  EXPECT_EQ(m.text("/AuditMessage/ActiveParticipant[RoleIDCode/@csd-code='110153']/@UserID"), "MEDVQA");
  EXPECT_EQ(m.text("//EventOutcomeDescription"), "1 of 4 sub-operations failed");
}

// A sink that keeps what it is given, or fails every time.
class TestSink : public audit::AuditSink {
 public:
  explicit TestSink(bool fail) : fail_(fail) {}
  const char* name() const noexcept override { return "test"; }
  void write(const std::string& message) override {
    if (fail_) throw Error(ErrorCode::Io, "disk full");
    std::lock_guard lock(mutex_);
    messages.push_back(message);
  }
  std::vector<std::string> messages;

 private:
  bool fail_;
  std::mutex mutex_;
};

TEST(AuditTrail, FillsInTheSourceAndSurvivesAFailingSink) {
  auto failing = std::make_unique<TestSink>(true);
  auto keeping = std::make_unique<TestSink>(false);
  TestSink* kept = keeping.get();
  std::vector<std::unique_ptr<audit::AuditSink>> sinks;
  sinks.push_back(std::move(failing));
  sinks.push_back(std::move(keeping));
  audit::AuditTrail trail(kSource, std::move(sinks));
  trail.record(audit::associationOpened({"A", "127.0.0.1"}, "MEDVQA"));  // noexcept: must not throw
  EXPECT_EQ(trail.failures(), 1u);
  ASSERT_EQ(kept->messages.size(), 1u);
  const AuditMessage m(kept->messages[0]);
  EXPECT_EQ(m.schemaErrors(), "");
  EXPECT_EQ(m.text("/AuditMessage/AuditSourceIdentification/@AuditSourceID"), "MEDVQA");
  EXPECT_EQ(m.text("/AuditMessage/AuditSourceIdentification/@AuditEnterpriseSiteID"), "Site A");
}

}  // namespace
