#pragma once

#include <array>
#include <functional>
#include <string>
#include <string_view>

#include "api/answer_api.h"
#include "api/exchange.h"
#include "api/routes.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib
namespace medvqa {
class Index;
}

namespace medvqa::scp {

class HttpAuth;

// The node's study parameter: a Study Instance UID (dicom::requireUid: 400 for anything else),
// looked up in the index (the patient for the audit messages).
class IndexStudies : public api::StudyDirectory {
 public:
  explicit IndexStudies(Index& index) : index_(index) {}
  api::StudyLookup find(const std::string& pathId) const override;

 private:
  Index& index_;
};

// cpp-httplib <-> core/api: the plain request of an httplib request (path parameters from the
// route's groups, the caller from the bearer token when `auth` is given), and the reply written
// back.
api::Request toApiRequest(const httplib::Request& req, const HttpAuth* auth);
void writeReply(httplib::Response& res, const api::Reply& reply);

// Registers one route with httplib (GET or POST; httplib serves HEAD as GET).
void addRoute(httplib::Server& server, std::string_view method, std::string_view pattern,
              std::function<api::Reply(const api::Request&)> handle, const HttpAuth* auth);

// Registers every route of a table (api/routes.h): the answer routes, the node's own.
template <typename Api, std::size_t N>
void addRoutes(httplib::Server& server, const Api& served, const std::array<api::Route<Api>, N>& table,
               const HttpAuth* auth) {
  for (const api::Route<Api>& route : table) {
    addRoute(
        server, route.method, route.pattern,
        [&served, &route](const api::Request& request) { return api::call(served, route, request); }, auth);
  }
}

}  // namespace medvqa::scp
