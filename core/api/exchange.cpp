#include "api/exchange.h"

#include <nlohmann/json.hpp>

#include "common/log.h"

namespace medvqa::api {

const std::string* Request::queryParam(const std::string& name) const {
  const auto it = query.find(name);
  return it == query.end() ? nullptr : &it->second;
}

Reply Reply::json(int status, const nlohmann::json& body) {
  return {status, body.dump(), "application/json"};
}

Reply Reply::error(int status, const std::string& message) {
  return json(status, nlohmann::json{{"error", message}});
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

Reply replyFor(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    const int status = httpStatusFor(e.code());
    if (status >= 500) log::error(std::string("HTTP API: ") + e.what());
    return Reply::error(status, e.what());
  } catch (const std::exception& e) {
    log::error(std::string("HTTP handler failed: ") + e.what());
  } catch (...) {
    log::error("HTTP handler failed: not a std::exception");
  }
  return Reply::error(500, "internal error");
}

Reply protect(const std::function<Reply()>& route) {
  try {
    return route();
  } catch (...) {
    return replyFor(std::current_exception());
  }
}

}  // namespace medvqa::api
