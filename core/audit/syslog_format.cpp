#include "audit/syslog_format.h"

#include <unistd.h>

#include <climits>

#include "audit/audit_xml.h"

namespace medvqa::audit {
namespace {

constexpr int kFacilityAuthPriv = 10;
constexpr int kSeverityNotice = 5;

// RFC 5424 6.2: header fields are NILVALUE or 1*N PRINTUSASCII (33-126).
std::string headerField(std::string_view value, std::size_t maxLength) {
  std::string out(value.substr(0, maxLength));
  for (char& c : out) {
    if (c < 33 || c > 126) c = '_';
  }
  return out.empty() ? "-" : out;
}

}  // namespace

SyslogHeader localSyslogHeader(const std::string& appName) {
  char host[HOST_NAME_MAX + 1] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return {host, appName, std::to_string(::getpid())};
}

std::string rfc5424Message(const SyslogHeader& header, std::chrono::system_clock::time_point time,
                           std::string_view xml) {
  std::string message = "<" + std::to_string(kFacilityAuthPriv * 8 + kSeverityNotice) + ">1 ";
  message += xsdDateTime(time);
  message += ' ' + headerField(header.hostname, 255);
  message += ' ' + headerField(header.appName, 48);
  message += ' ' + headerField(header.procId, 128);
  message += " IHE+RFC-3881 - \xEF\xBB\xBF";
  message += xml;
  return message;
}

std::string octetCountingFrame(std::string_view message) {
  std::string frame = std::to_string(message.size());
  frame += ' ';
  frame += message;
  return frame;
}

}  // namespace medvqa::audit
