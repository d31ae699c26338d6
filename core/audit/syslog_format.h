#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace medvqa::audit {

// The RFC 5424 header fields that stay the same for a process.
struct SyslogHeader {
  std::string hostname;  // HOSTNAME
  std::string appName;   // APP-NAME
  std::string procId;    // PROCID
};

// This host's name and this process's id, with `appName`.
SyslogHeader localSyslogHeader(const std::string& appName);

// IHE ITI-20's syslog message for one audit message: facility 10 (security/authorization),
// severity 5 (notice) = PRI 85, version 1, the timestamp, header, MSGID "IHE+RFC-3881", no
// structured data, then the XML as UTF-8 behind a BOM (RFC 5424 6.4):
//   <85>1 2024-05-01T10:11:12.345Z host medvqa-scp 4242 IHE+RFC-3881 - \xEF\xBB\xBF<?xml ...
// Header fields are cut to RFC 5424's lengths and printable US-ASCII ('-' when empty).
std::string rfc5424Message(const SyslogHeader& header, std::chrono::system_clock::time_point time,
                           std::string_view xml);

// RFC 5425 / RFC 6587 octet counting: "LEN SP MSG", LEN the octets of MSG in decimal.
std::string octetCountingFrame(std::string_view message);

}  // namespace medvqa::audit
