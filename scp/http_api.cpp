#include "http_api.h"

#include <httplib.h>

#include "common/error.h"
#include "http_auth.h"
#include "https_server.h"

namespace medvqa::scp {
namespace {

constexpr std::size_t kMaxBodyBytes = 64 * 1024;  // a question body is well under 1 KiB

// httplib 0.11 applies its payload limit to Content-Length bodies only: a chunked body, or one
// that runs until the connection closes, would be read into memory whatever its size. Such a
// request is refused before its body is read, with 411: the limit needs a declared length.
bool refuseUnmeasuredBody(const httplib::Request& req, httplib::Response& res) {
  const bool bodyExpected = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                            req.method == "DELETE" || req.method == "PRI";
  if (!req.has_header("Transfer-Encoding") && (req.has_header("Content-Length") || !bodyExpected)) return false;
  writeReply(res,
             api::Reply::error(411, "a request body needs a Content-Length header (at most " +
                                        std::to_string(kMaxBodyBytes) + " bytes); chunked bodies are not accepted"));
  return true;
}

std::string errorMessageFor(int status) {
  if (status == 404) return "no such route";
  if (status == 413) return "request body larger than " + std::to_string(kMaxBodyBytes) + " bytes";
  return "request failed";
}

}  // namespace

HttpApi::HttpApi(Index& index, std::string host, int port, const config::HttpSecurityConfig& security,
                 pipeline::AnswerPipeline* pipeline, std::string answeringUnavailable, NodeProbes probes,
                 HttpAudit audit, std::filesystem::path modelFolder, metrics::Metrics* metrics)
    : audit_(std::move(audit)),
      nodeRoutes_(index, std::move(probes)),
      studies_(index),
      answers_(api::AnswerApi::Parts{.pipeline = pipeline,
                                     .unavailable = std::move(answeringUnavailable),
                                     .studies = &studies_,
                                     .modelFolder = std::move(modelFolder),
                                     .metrics = metrics,
                                     .audit = audit_}),
      host_(std::move(host)),
      port_(port),
      https_(security.https()),
      auth_(std::make_unique<HttpAuth>(security, audit_)),
      server_(makeHttpServer(security)) {
  addRoutes();
}

HttpApi::~HttpApi() {
  stop();
}

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
  // The routes translate their own exceptions (api::protect); this catches what escapes httplib's side.
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    writeReply(res, api::replyFor(ep));
  });
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) writeReply(res, api::Reply::error(res.status, errorMessageFor(res.status)));
  });
  server_->set_payload_max_length(kMaxBodyBytes);

  scp::addRoutes(*server_, nodeRoutes_, kNodeRoutes, auth_.get());
  scp::addRoutes(*server_, answers_, api::kAnswerRoutes, auth_.get());
}

void HttpApi::start() {
  // Port 0: one the OS picks; port() and describe() say which from here on.
  const int bound = port_ == 0 ? server_->bind_to_any_port(host_) : (server_->bind_to_port(host_, port_) ? port_ : -1);
  if (bound <= 0) throw Error(ErrorCode::Network, "cannot listen on HTTP " + host_ + ":" + std::to_string(port_));
  port_ = bound;
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
