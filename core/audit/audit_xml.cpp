#include "audit/audit_xml.h"

#include <openssl/evp.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace medvqa::audit {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at `text[i]` that XML 1.0 allows (Char production),
// or 0 when there is none: overlong forms, surrogates, U+FFFE/U+FFFF and C0 controls are out.
std::size_t validSequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  std::uint32_t cp = 0;
  if (lead < 0x80) return (lead >= 0x20 || lead == '\t' || lead == '\n' || lead == '\r') ? 1 : 0;
  if ((lead & 0xE0) == 0xC0) length = 2, cp = lead & 0x1F;
  else if ((lead & 0xF0) == 0xE0) length = 3, cp = lead & 0x0F;
  else if ((lead & 0xF8) == 0xF0) length = 4, cp = lead & 0x07;
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10FFFF) return 0;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
  return length;
}

class XmlWriter {
 public:
  XmlWriter& open(std::string_view name) {
    closeStart();
    out_ += '<';
    out_ += name;
    startOpen_ = true;
    return *this;
  }
  XmlWriter& attr(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    out_ += escapeXml(value);
    out_ += '"';
    return *this;
  }
  XmlWriter& attrIf(bool present, std::string_view name, std::string_view value) {
    return present ? attr(name, value) : *this;
  }
  XmlWriter& text(std::string_view value) {
    closeStart();
    out_ += escapeXml(value);
    return *this;
  }
  // Closes the innermost element: `<X .../>` when nothing was written inside it.
  XmlWriter& close(std::string_view name) {
    if (startOpen_) {
      out_ += "/>";
      startOpen_ = false;
    } else {
      out_ += "</";
      out_ += name;
      out_ += '>';
    }
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  void closeStart() {
    if (startOpen_) out_ += '>';
    startOpen_ = false;
  }
  std::string out_ = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  bool startOpen_ = false;
};

void writeCode(XmlWriter& w, std::string_view element, const Code& code) {
  w.open(element).attr("csd-code", code.code).attr("codeSystemName", code.system).attr("originalText", code.meaning);
  w.close(element);
}

void writeEventIdentification(XmlWriter& w, const AuditEvent& e) {
  w.open("EventIdentification")
      .attr("EventActionCode", std::string(1, static_cast<char>(e.action)))
      .attr("EventDateTime", xsdDateTime(e.time))
      .attr("EventOutcomeIndicator", std::to_string(static_cast<int>(e.outcome)));
  writeCode(w, "EventID", e.eventId);
  for (const auto& type : e.eventTypes) writeCode(w, "EventTypeCode", type);
  if (!e.outcomeDescription.empty()) w.open("EventOutcomeDescription").text(e.outcomeDescription).close("EventOutcomeDescription");
  w.close("EventIdentification");
}

void writeParticipant(XmlWriter& w, const ActiveParticipant& p) {
  const bool accessPoint = p.networkAccessPointType != AccessPointType::None && !p.networkAccessPointId.empty();
  w.open("ActiveParticipant")
      .attr("UserID", p.userId)
      .attrIf(!p.alternativeUserId.empty(), "AlternativeUserID", p.alternativeUserId)
      .attrIf(!p.userName.empty(), "UserName", p.userName)
      .attr("UserIsRequestor", p.isRequestor ? "true" : "false")
      .attrIf(accessPoint, "NetworkAccessPointID", p.networkAccessPointId)
      .attrIf(accessPoint, "NetworkAccessPointTypeCode", std::to_string(static_cast<int>(p.networkAccessPointType)));
  for (const auto& role : p.roles) writeCode(w, "RoleIDCode", role);
  w.close("ActiveParticipant");
}

void writeSource(XmlWriter& w, const AuditSource& s) {
  w.open("AuditSourceIdentification")
      .attrIf(!s.enterpriseSiteId.empty(), "AuditEnterpriseSiteID", s.enterpriseSiteId)
      .attr("AuditSourceID", s.sourceId);
  if (!s.typeCode.empty()) w.open("AuditSourceTypeCode").attr("csd-code", s.typeCode).close("AuditSourceTypeCode");
  w.close("AuditSourceIdentification");
}

void writeDescription(XmlWriter& w, const ParticipantObject& o) {
  if (o.accessionNumbers.empty() && o.sopClasses.empty()) return;
  w.open("ParticipantObjectDescription");
  for (const auto& number : o.accessionNumbers) w.open("Accession").attr("Number", number).close("Accession");
  for (const auto& sop : o.sopClasses) {
    w.open("SOPClass").attr("UID", sop.sopClassUid).attr("NumberOfInstances", std::to_string(sop.instances));
    for (const auto& uid : sop.instanceUids) w.open("Instance").attr("UID", uid).close("Instance");
    w.close("SOPClass");
  }
  w.close("ParticipantObjectDescription");
}

void writeObject(XmlWriter& w, const ParticipantObject& o) {
  w.open("ParticipantObjectIdentification")
      .attr("ParticipantObjectID", o.id)
      .attrIf(o.typeCode != 0, "ParticipantObjectTypeCode", std::to_string(o.typeCode))
      .attrIf(o.typeCodeRole != 0, "ParticipantObjectTypeCodeRole", std::to_string(o.typeCodeRole));
  writeCode(w, "ParticipantObjectIDTypeCode", o.idType);
  if (o.query) {
    w.open("ParticipantObjectQuery").text(base64(*o.query)).close("ParticipantObjectQuery");
  } else {
    w.open("ParticipantObjectName").text(o.name).close("ParticipantObjectName");
  }
  for (const auto& d : o.details) w.open("ParticipantObjectDetail").attr("type", d.type).attr("value", base64(d.value)).close("ParticipantObjectDetail");
  writeDescription(w, o);
  w.close("ParticipantObjectIdentification");
}

}  // namespace

std::string escapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = validSequence(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    switch (text[i]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default: out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string xsdDateTime(std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string toXml(const AuditEvent& event) {
  XmlWriter w;
  w.open("AuditMessage");
  writeEventIdentification(w, event);
  for (const auto& p : event.participants) writeParticipant(w, p);
  writeSource(w, event.source);
  for (const auto& o : event.objects) writeObject(w, o);
  w.close("AuditMessage");
  return w.take();
}

}  // namespace medvqa::audit
