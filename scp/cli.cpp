#include "cli.h"

#include <functional>
#include <map>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace medvqa::scp {
namespace {

unsigned long parseNumber(const std::string& flag, const std::string& value, unsigned long max) {
  if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string::npos ||
      std::stoull(value) > max) {
    throw Error(ErrorCode::Config, flag + " needs a number up to " + std::to_string(max) + ", got '" + value + "'");
  }
  return std::stoul(value);
}

// A listener's port: N, 0 for one the OS picks, or "off" for no listener.
std::optional<std::uint16_t> parseListenPort(const std::string& flag, const std::string& value) {
  if (value == "off") return std::nullopt;
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos || value.size() > 5 ||
      std::stoul(value) > 65535) {
    throw Error(ErrorCode::Config, flag + " needs a port 0-65535 (0: one the OS picks) or off, got '" + value + "'");
  }
  return static_cast<std::uint16_t>(std::stoul(value));
}

using Setter = std::function<void(config::NodeConfig&, const std::string& flag, const std::string& value)>;

const std::map<std::string, Setter>& valueFlags() {
  static const std::map<std::string, Setter> flags = {
      {"--aet", [](auto& c, auto&, auto& v) { c.aet = v; }},
      {"--port", [](auto& c, auto& f, auto& v) { c.port = parseListenPort(f, v); }},
      {"--storage", [](auto& c, auto&, auto& v) { c.storage = v; }},
      {"--http-port", [](auto& c, auto& f, auto& v) { c.httpPort = parseListenPort(f, v); }},
      {"--http-host", [](auto& c, auto&, auto& v) { c.httpHost = v; }},
      {"--http-auth",
       [](auto& c, auto& f, auto& v) {
         if (v != "on" && v != "off") throw Error(ErrorCode::Config, f + " must be on or off");
         c.http.authOff = v == "off";
       }},
      {"--jwt-hs256-secret-file", [](auto& c, auto&, auto& v) { c.http.jwtHs256SecretFile = v; }},
      {"--jwt-rs256-public-key", [](auto& c, auto&, auto& v) { c.http.jwtRs256PublicKey = v; }},
      {"--https-cert", [](auto& c, auto&, auto& v) { c.http.httpsCert = v; }},
      {"--https-key", [](auto& c, auto&, auto& v) { c.http.httpsKey = v; }},
      {"--tls-port", [](auto& c, auto& f, auto& v) { c.tls.port = parseListenPort(f, v); }},
      {"--tls-cert", [](auto& c, auto&, auto& v) { c.tls.certificate = v; }},
      {"--tls-key", [](auto& c, auto&, auto& v) { c.tls.privateKey = v; }},
      {"--tls-ca", [](auto& c, auto&, auto& v) { c.tls.trustedCas.push_back(v); }},
      {"--tls-profile", [](auto& c, auto& f, auto& v) { c.tls.profile = config::parseTlsProfile(v, f); }},
      {"--tls-verify-client",
       [](auto& c, auto& f, auto& v) { c.tls.verifyClient = config::parseClientVerification(v, f); }},
      {"--accept-aet", [](auto& c, auto&, auto& v) { c.acceptedCallingAets.push_back(v); }},
      {"--destination",
       [](auto& c, auto&, auto& v) {
         const auto peer = config::parsePeer(v);
         c.destinations[peer.aet] = peer;
       }},
      {"--duplicates",
       [](auto& c, auto& f, auto& v) {
         if (v != "overwrite" && v != "keep") throw Error(ErrorCode::Config, f + " must be overwrite or keep");
         c.duplicatePolicy = v == "keep" ? DuplicatePolicy::KeepExisting : DuplicatePolicy::Overwrite;
       }},
      {"--stable-age",
       [](auto& c, auto& f, auto& v) { c.stableAgeSeconds = static_cast<unsigned>(parseNumber(f, v, 86400)); }},
      {"--max-associations",
       [](auto& c, auto& f, auto& v) { c.maxAssociations = static_cast<unsigned>(parseNumber(f, v, 1000)); }},
      {"--max-dataset-bytes",
       [](auto& c, auto& f, auto& v) { c.maxDatasetBytes = parseNumber(f, v, ~0UL); }},
      {"--max-pdu-bytes",
       [](auto& c, auto& f, auto& v) { c.maxPduBytes = static_cast<std::uint32_t>(parseNumber(f, v, 131072)); }},
      {"--log-level", [](auto& c, auto&, auto& v) { c.logLevel = v; }},
      {"--forward",
       [](auto& c, auto&, auto& v) {
         const auto peer = config::parsePeer(v);
         c.destinations[peer.aet] = peer;
         c.answering.forward.push_back(peer.aet);
       }},
      {"--model", [](auto& c, auto&, auto& v) { c.answering.model = v; }},
      {"--device", [](auto& c, auto&, auto& v) {
         c.answering = config::answeringConfigFromJson(nlohmann::json{{"device", v}}, "--device", c.answering);
       }},
      {"--workers", [](auto& c, auto& f, auto& v) { c.answering.workers = static_cast<unsigned>(parseNumber(f, v, 64)); }},
      {"--answering", [](auto& c, auto& f, auto& v) {
         if (v != "on" && v != "off") throw Error(ErrorCode::Config, f + " must be on or off");
         c.answering.enabled = v == "on";
       }},
      {"--audit-file", [](auto& c, auto&, auto& v) { c.audit.file = v; }},
      {"--audit-syslog", [](auto& c, auto& f, auto& v) { config::parseSyslogAddress(v, c.audit.syslog, f); }},
      {"--audit-syslog-tls", [](auto& c, auto& f, auto& v) {
         if (v != "on" && v != "off") throw Error(ErrorCode::Config, f + " must be on or off");
         c.audit.syslog.tls = v == "on";
       }},
      {"--audit-syslog-ca", [](auto& c, auto&, auto& v) { c.audit.syslog.ca = v; }},
      {"--audit-syslog-cert", [](auto& c, auto&, auto& v) { c.audit.syslog.certificate = v; }},
      {"--audit-syslog-key", [](auto& c, auto&, auto& v) { c.audit.syslog.privateKey = v; }},
  };
  return flags;
}

}  // namespace

CliRequest parseCommandLine(const std::vector<std::string>& args) {
  CliRequest request;
  // The config file is read first wherever --config appears, so that flags override it.
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config") {
      if (i + 1 >= args.size()) throw Error(ErrorCode::Config, "--config needs a file");
      request.config = config::loadNodeConfig(args[i + 1]);
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      request.action = CliRequest::Action::Help;
      return request;
    }
    if (flag == "--version") {
      request.action = CliRequest::Action::Version;
      return request;
    }
    if (flag == "--config") {
      ++i;
      continue;
    }
    if (flag == "--ports-file") {
      if (i + 1 >= args.size() || args[i + 1].empty()) throw Error(ErrorCode::Config, "--ports-file needs a file");
      request.portsFile = args[++i];
      continue;
    }
    const auto setter = valueFlags().find(flag);
    if (setter == valueFlags().end()) throw Error(ErrorCode::Config, "unknown option '" + flag + "' (see --help)");
    if (i + 1 >= args.size()) throw Error(ErrorCode::Config, flag + " needs a value");
    setter->second(request.config, flag, args[++i]);
  }
  config::validate(request.config);
  return request;
}

const char* helpText() {
  return R"(medvqa-scp: the MedVQA DICOM node. Receives studies (C-STORE), stores them durably,
indexes them, and serves them back (C-ECHO, C-FIND, C-GET, C-MOVE); answers the configured
questions about each stable study as a DICOM SR; small HTTP API.

Usage: medvqa-scp [--config FILE] [options]

Runs with no options at all on embedded defaults (sqlite index + a storage folder).
Options override the config file (keys in docs/configuration.md):
  --config FILE            JSON config file
  --aet AET                this node's AE title                      (default MEDVQA)
  --port N|off             DICOM port; off only with --tls-port      (default 11112)
  --storage DIR            storage folder: files + index.sqlite      (default ./medvqa-data)
  --http-port N|off        HTTP API port; off = no HTTP API          (default 8080)
  --http-host HOST         HTTP API bind address                     (default 127.0.0.1)
  --ports-file FILE        once every listener serves, write their ports there as JSON:
                           {"dicom": N, "http": N} (+ "tls": N); removed at a clean stop
  Port 0 (--port, --http-port, --tls-port) listens on a free port the OS picks; the ready
  line and --ports-file say which.
  --accept-aet AET         accept only these calling AE titles (repeatable; default: all)
  --destination AET@HOST:PORT
                           a C-MOVE destination (repeatable)
  --duplicates overwrite|keep
                           what a second copy of a stored SOP Instance UID does (default overwrite)
  --stable-age SECONDS     quiet period before a study is "stable"   (default 10)
  --max-associations N     concurrent associations; more are rejected (default 32)
  --max-dataset-bytes N    larger C-STORE data sets are refused      (default 2 GiB)
  --max-pdu-bytes N        largest PDU received, 4096-131072; a larger one aborts
                           the association                           (default 116794)
  --log-level LEVEL        debug|info|warn|error                     (default info)

HTTP API security (docs/security.md): every route but /healthz, /readyz and /metrics needs a
bearer token (JWT, role in its "roles" claim: reader < radiologist < admin). With no key and no
explicit --http-auth off, those routes answer 503: the API is never open by default.
  --jwt-hs256-secret-file FILE
                           HS256 shared secret (32+ bytes); turns bearer auth on
  --jwt-rs256-public-key PEM
                           RS256 public key of the token issuer; turns bearer auth on
  --http-auth on|off       off: every route open, a WARN at every start (default on)
  --https-cert PEM --https-key PEM
                           serve the API over HTTPS (TLS 1.2+) with this chain and key

DICOM TLS (docs/operations.md, "DICOM TLS"): a second DICOM port that speaks only TLS.
  --tls-port N|off         DICOM TLS port                            (default off)
  --tls-cert PEM --tls-key PEM
                           the node's certificate chain and its unencrypted private key
  --tls-ca PEM             a CA that signs client certificates (repeatable)
  --tls-verify-client require|if-presented|ignore
                           client certificates (default: require with --tls-ca, else ignore)
  --tls-profile bcp195-nd|bcp195|bcp195-ex
                           DICOM TLS profile (PS3.15 Annex B)        (default bcp195-nd)

Answering (stable studies get the questions of the first matching rule, as an SR):
  --model DIR              model folder                  (default: models/demo of the build)
  --device auto|cpu|cuda[:N]                                         (default auto)
  --workers N              studies answered at once                  (default 2)
  --forward AET@HOST:PORT  also C-STORE every SR there (repeatable; store-and-forward)
                           (S3 / MinIO buckets: config key answering.s3, docs/configuration.md)
  --answering on|off       answer stable studies by the rules        (default on)

Audit trail (IHE ATNA / DICOM PS3.15 A.5 messages; docs/operations.md, "Audit trail"):
  --audit-file FILE        append every audit message to FILE, one XML message per line
  --audit-syslog HOST:PORT also send them to a syslog collector (RFC 5424 over TCP)
  --audit-syslog-tls on|off
                           RFC 5425 TLS to the collector             (default off)
  --audit-syslog-ca PEM    CA the collector's certificate must chain to (default: system store)
  --audit-syslog-cert PEM --audit-syslog-key PEM
                           client certificate and key (ATNA mutual authentication)
  --help, --version

Signals: SIGTERM/SIGINT stop accepting, let in-flight associations finish, exit 0.
)";
}

}  // namespace medvqa::scp
