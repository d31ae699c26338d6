#include "http_answers.h"

#include <httplib.h>

#include "common/error.h"
#include "dicom/uid.h"
#include "http_auth.h"
#include "index/index.h"

namespace medvqa::scp {

api::StudyLookup IndexStudies::find(const std::string& pathId) const {
  api::StudyLookup found{dicom::requireUid(pathId, "Study Instance UID"), std::nullopt};
  if (const auto summary = index_.study(found.uid)) {
    found.study = audit::StudyRef{found.uid, summary->patientId, summary->patientName, summary->accession};
  }
  return found;
}

api::Request toApiRequest(const httplib::Request& req, const HttpAuth* auth) {
  api::Request out;
  out.method = req.method;
  for (std::size_t i = 1; i < req.matches.size(); ++i) out.pathParams.push_back(req.matches[i].str());
  for (const auto& [name, value] : req.params) out.query.emplace(name, value);  // the first of each name
  out.body = req.body;
  out.caller = auth ? auth->callerOf(req) : api::Caller{{}, req.remote_addr, std::nullopt};
  return out;
}

void writeReply(httplib::Response& res, const api::Reply& reply) {
  res.status = reply.status;
  res.set_content(reply.body, reply.contentType.c_str());
}

void addRoute(httplib::Server& server, std::string_view method, std::string_view pattern,
              std::function<api::Reply(const api::Request&)> handle, const HttpAuth* auth) {
  auto serve = [handle = std::move(handle), auth](const httplib::Request& req, httplib::Response& res) {
    writeReply(res, handle(toApiRequest(req, auth)));
  };
  const std::string path(pattern);
  if (method == "GET") {
    server.Get(path, std::move(serve));
  } else if (method == "POST") {
    server.Post(path, std::move(serve));
  } else {
    throw Error(ErrorCode::Config, "HTTP API: no route method " + std::string(method));
  }
}

}  // namespace medvqa::scp
