#include "http_api.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/log.h"
#include "dicom/uid.h"
#include "http_answers.h"
#include "http_probes.h"
#include "http_auth.h"
#include "https_server.h"
#include "index/index.h"

namespace medvqa::scp {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultPageSize = 100;
constexpr std::size_t kMaxPageSize = 1000;
constexpr std::size_t kMaxBodyBytes = 64 * 1024;  // a question body is well under 1 KiB

template <typename T>
json orNull(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json seriesJson(const SeriesSummary& s) {
  return {{"series_uid", s.seriesUid}, {"modality", s.modality}, {"series_number", orNull(s.seriesNumber)},
          {"description", s.description}, {"instances", s.numInstances}};
}

json studyJson(const StudySummary& s) {
  json j = {{"study_uid", s.studyUid},
            {"patient_id", s.patientId},
            {"patient_name", s.patientName},
            {"study_date", s.studyDate},
            {"description", s.studyDescription},
            {"accession_number", s.accession},
            {"modalities", s.modalities},
            {"series_count", s.numSeries},
            {"instance_count", s.numInstances},
            {"last_received_at_ms", s.lastReceivedAtMs},
            {"stable", s.stable},
            {"stable_at_ms", orNull(s.stableAtMs)}};
  if (!s.series.empty()) {
    json series = json::array();
    for (const auto& one : s.series) series.push_back(seriesJson(one));
    j["series"] = std::move(series);
  }
  return j;
}

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void replyError(httplib::Response& res, int status, const std::string& message) {
  reply(res, status, json{{"error", message}});
}

std::size_t pageParam(const httplib::Request& req, const char* name, std::size_t fallback, std::size_t max) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
    throw Error(ErrorCode::InvalidArgument, std::string("query parameter '") + name + "' must be a number");
  }
  return std::min<std::size_t>(std::stoul(text), max);
}

// httplib 0.11 applies its payload limit to Content-Length bodies only: a chunked body, or one
// that runs until the connection closes, would be read into memory whatever its size. Such a
// request is refused before its body is read, with 411: the limit needs a declared length.
bool refuseUnmeasuredBody(const httplib::Request& req, httplib::Response& res) {
  const bool bodyExpected = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                            req.method == "DELETE" || req.method == "PRI";
  if (!req.has_header("Transfer-Encoding") && (req.has_header("Content-Length") || !bodyExpected)) return false;
  replyError(res, 411, "a request body needs a Content-Length header (at most " + std::to_string(kMaxBodyBytes) +
                           " bytes); chunked bodies are not accepted");
  return true;
}

std::string errorMessageFor(int status) {
  if (status == 404) return "no such route";
  if (status == 413) return "request body larger than " + std::to_string(kMaxBodyBytes) + " bytes";
  return "request failed";
}

int httpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::LimitExceeded: return 413;
    case ErrorCode::Config: return 503;
    default: return 500;
  }
}

}  // namespace

HttpApi::HttpApi(Index& index, std::string host, int port, const config::HttpSecurityConfig& security,
                 pipeline::AnswerPipeline* pipeline, std::string answeringUnavailable, NodeProbes probes,
                 HttpAudit audit)
    : index_(index),
      pipeline_(pipeline),
      answeringUnavailable_(std::move(answeringUnavailable)),
      probes_(std::move(probes)),
      audit_(std::move(audit)),
      host_(std::move(host)),
      port_(port),
      https_(security.https()),
      auth_(std::make_unique<HttpAuth>(security, audit_)),
      server_(makeHttpServer(security)) {
  addRoutes();
}

HttpApi::~HttpApi() { stop(); }

void HttpApi::addRoutes() {
  // Both checks run before httplib reads a body, and a refusal leaves that body unread on the
  // connection. One request per connection means it is never parsed as the next request: behind
  // a proxy that reuses connections, a body crafted as a request would otherwise run with the
  // next user's token (request smuggling).
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (refuseUnmeasuredBody(req, res)) return httplib::Server::HandlerResponse::Handled;
    return auth_->admit(req, res);
  });
  server_->set_keep_alive_max_count(1);
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const Error& e) {
      replyError(res, httpStatusFor(e.code()), e.what());
    } catch (const std::exception& e) {
      log::error(std::string("HTTP handler failed: ") + e.what());
      replyError(res, 500, "internal error");
    }
  });
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) replyError(res, res.status, errorMessageFor(res.status));
  });
  server_->set_payload_max_length(kMaxBodyBytes);

  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, json{{"status", "ok"}});
  });
  addProbeRoutes(*server_, probes_);
  server_->Get("/studies", [this](const httplib::Request& req, httplib::Response& res) {
    const std::size_t limit = pageParam(req, "limit", kDefaultPageSize, kMaxPageSize);
    const std::size_t offset = pageParam(req, "offset", 0, SIZE_MAX);
    json studies = json::array();
    for (const auto& s : index_.studies(limit, offset)) studies.push_back(studyJson(s));
    reply(res, 200, json{{"studies", std::move(studies)}, {"limit", limit}, {"offset", offset}});
  });
  addAnswerRoutes(*server_, index_, pipeline_, answeringUnavailable_, AnswerRoutesAudit{audit_, auth_.get()});
  server_->Get(R"(/studies/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string uid = dicom::requireUid(req.matches[1].str(), "Study Instance UID");
    const auto study = index_.study(uid);
    if (!study) return replyError(res, 404, "no study " + uid);
    reply(res, 200, studyJson(*study));
  });
}

void HttpApi::start() {
  if (!server_->bind_to_port(host_.c_str(), port_)) {
    throw Error(ErrorCode::Network, "cannot listen on HTTP " + host_ + ":" + std::to_string(port_));
  }
  auth_->warnAtStart(https_, host_);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

std::string HttpApi::describe() const {
  return (https_ ? "https://" : "http://") + host_ + ":" + std::to_string(port_) + ", " + auth_->summary();
}

void HttpApi::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace medvqa::scp
