#pragma once

// The answer API, once for both front doors: the node's HTTP API serves it at /..., the Orthanc
// plugin under /medvqa/... (Orthanc's authentication in front). Same routes, same JSON
// (pipeline/api_json.h), same errors ({"error": "..."} with the status of httpStatusFor).
// Only the study path parameter differs per door, and each door says what it means
// (StudyDirectory).

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "api/exchange.h"
#include "api/routes.h"
#include "audit/audit_event.h"
#include "audit/event_parts.h"

namespace medvqa::audit {
class AuditTrail;
}
namespace medvqa::metrics {
class Metrics;
}
namespace medvqa::pipeline {
class AnswerPipeline;
}

namespace medvqa::api {

// A study named in a path, as the door found it.
struct StudyLookup {
  std::string uid;  // its Study Instance UID
  // The study, with the patient its audit messages name; nullopt when the door holds no study
  // of that UID (the routes answer 404 "no study UID").
  std::optional<audit::StudyRef> study;
};

// What the study path parameter means at one door: the node's Study Instance UID (checked with
// dicom::requireUid), the plugin's Orthanc study id (resolved to its UID).
class StudyDirectory {
 public:
  virtual ~StudyDirectory() = default;
  // Error(InvalidArgument) for an id the door cannot read; Error(NotFound) for one the door
  // knows names nothing (it has no UID to report then). Called on the request's thread.
  virtual StudyLookup find(const std::string& pathId) const = 0;
};

// Where the questions asked are audited (audit/api_events.h). `trail` null: audit off.
struct ApiAudit {
  audit::AuditTrail* trail = nullptr;
  std::string nodeAet;  // names the node in each message

  explicit operator bool() const noexcept { return trail != nullptr; }
  void record(const audit::AuditEvent& event) const noexcept;
};

class AnswerApi {
 public:
  struct Parts {
    pipeline::AnswerPipeline* pipeline = nullptr;  // null: every route answers 503 with `unavailable`
    std::string unavailable;                       // why there is no pipeline
    const StudyDirectory* studies = nullptr;       // the door's; required
    std::filesystem::path modelFolder;             // GET /models names it
    metrics::Metrics* metrics = nullptr;           // questions and re-runs counted; null: not counted
    // POST .../questions and POST .../answer are audited (DICOM Instances Accessed, the caller
    // as requestor) when it has a trail.
    ApiAudit audit;
  };

  explicit AnswerApi(Parts parts);

  // The routes (kAnswerRoutes below). Errors are thrown as medvqa::Error; call()/dispatch()
  // translate them.
  Reply answers(const Request& request) const;     // GET  /studies/{study}/answers
  Reply questions(const Request& request) const;   // POST /studies/{study}/questions
  Reply answerNow(const Request& request) const;   // POST /studies/{study}/answer
  Reply jobs(const Request& request) const;        // GET  /jobs[?state=]
  Reply job(const Request& request) const;         // GET  /jobs/{n}
  Reply deliveries(const Request& request) const;  // GET  /deliveries
  Reply models(const Request& request) const;      // GET  /models

  // The route `method` `path` reaches, called (with its path parameters filled in and the
  // caller's role checked); 404 {"error": "no such route"} when none does. The doors register
  // each route with their HTTP server instead; this is the table's meaning in one function.
  Reply dispatch(std::string_view method, const std::string& path, Request request) const;

 private:
  template <typename Handle>
  Reply audited(const Request& request, const StudyLookup& study, audit::Action action, const std::string& question,
                Handle handle) const;

  Parts parts_;
};

// Every answer route, named here only. The doors add their prefix ("" for the node, "/medvqa"
// for the plugin).
inline constexpr std::array<Route<AnswerApi>, 7> kAnswerRoutes{{
    {"GET", "/studies/([^/]+)/answers", needs(auth::Role::Reader), &AnswerApi::answers},
    {"POST", "/studies/([^/]+)/questions", needs(auth::Role::Radiologist), &AnswerApi::questions},
    {"POST", "/studies/([^/]+)/answer", needs(auth::Role::Admin), &AnswerApi::answerNow},
    {"GET", "/jobs", needs(auth::Role::Admin), &AnswerApi::jobs},
    {"GET", "/jobs/([0-9]{1,18})", needs(auth::Role::Admin), &AnswerApi::job},
    {"GET", "/deliveries", needs(auth::Role::Admin), &AnswerApi::deliveries},
    {"GET", "/models", needs(auth::Role::Reader), &AnswerApi::models},
}};

}  // namespace medvqa::api
