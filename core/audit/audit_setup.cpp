#include "audit/audit_setup.h"

#include "audit/audit_file_sink.h"
#include "audit/syslog_sink.h"

namespace medvqa::audit {

std::unique_ptr<AuditTrail> makeAuditTrail(const AuditConfig& config, const std::string& section,
                                           const std::string& sourceAet, metrics::Metrics* metrics,
                                           const std::string& appName) {
  if (!config.enabled()) return nullptr;
  std::vector<std::unique_ptr<AuditSink>> sinks;
  if (!config.file.empty()) sinks.push_back(std::make_unique<AuditFileSink>(config.file, section + ".file", metrics));
  if (config.syslog.enabled()) {
    SyslogSink::Options options;
    options.target = config.syslog;
    options.configKey = section + ".syslog";
    options.appName = appName;
    sinks.push_back(std::make_unique<SyslogSink>(std::move(options), metrics));
  }
  return std::make_unique<AuditTrail>(AuditSource{config.enterpriseSiteId, sourceAet, "4"}, std::move(sinks), metrics);
}

}  // namespace medvqa::audit
