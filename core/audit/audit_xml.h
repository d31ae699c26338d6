#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "audit/audit_event.h"

namespace medvqa::audit {

// One AuditMessage per the DICOM audit message schema (PS3.15 A.5.1), preceded by an XML
// declaration, on one line: the XML holds no raw line break (values escape theirs), so a file of
// messages is one message per line.
std::string toXml(const AuditEvent& event);

// Text and attribute values as XML 1.0 accepts them from anyone: markup characters and quotes
// become entities, tab/CR/LF character references (kept, but never a raw line break), other
// control characters and bytes that are not UTF-8 U+FFFD. A hostile AE title or UID cannot close
// an attribute or add an element.
std::string escapeXml(std::string_view text);

// xsd:dateTime in UTC with milliseconds: "2024-05-01T10:11:12.345Z".
std::string xsdDateTime(std::chrono::system_clock::time_point time);

std::string base64(std::string_view bytes);

}  // namespace medvqa::audit
