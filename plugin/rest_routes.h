#pragma once

#include <array>

#include "plugin_context.h"
#include "rest_exchange.h"

namespace medvqa::plugin {

// The /medvqa routes under Orthanc's HTTP server (and its authentication). Each translates HTTP
// to a core call and back; the JSON shapes are the node's (pipeline/api_json.h), with Orthanc's
// study ids in the paths instead of Study Instance UIDs.
class RestRoutes {
 public:
  explicit RestRoutes(PluginContext& plugin) : plugin_(plugin) {}

  HttpReply ask(const HttpRequest& request);        // POST /medvqa/studies/{id}/questions
  HttpReply answers(const HttpRequest& request);    // GET  /medvqa/studies/{id}/answers
  HttpReply answerNow(const HttpRequest& request);  // POST /medvqa/studies/{id}/answer
  HttpReply jobs(const HttpRequest& request);       // GET  /medvqa/jobs[?state=]
  HttpReply job(const HttpRequest& request);        // GET  /medvqa/jobs/{n}
  HttpReply deliveries(const HttpRequest& request); // GET  /medvqa/deliveries
  HttpReply models(const HttpRequest& request);     // GET  /medvqa/models
  HttpReply metrics(const HttpRequest& request);    // GET  /medvqa/metrics

 private:
  pipeline::AnswerPipeline& requirePipeline();
  std::string studyUid(const HttpRequest& request) const;

  PluginContext& plugin_;
};

struct Route {
  const char* pattern;  // Orthanc's route regex (Perl syntax)
  const char* method;   // the one method it takes; others get 405
  HttpReply (RestRoutes::*handler)(const HttpRequest&);
};

inline constexpr std::array<Route, 8> kRoutes{{
    {"/medvqa/studies/([^/]+)/questions", "POST", &RestRoutes::ask},
    {"/medvqa/studies/([^/]+)/answers", "GET", &RestRoutes::answers},
    {"/medvqa/studies/([^/]+)/answer", "POST", &RestRoutes::answerNow},
    {"/medvqa/jobs", "GET", &RestRoutes::jobs},
    {"/medvqa/jobs/([0-9]{1,18})", "GET", &RestRoutes::job},
    {"/medvqa/deliveries", "GET", &RestRoutes::deliveries},
    {"/medvqa/models", "GET", &RestRoutes::models},
    {"/medvqa/metrics", "GET", &RestRoutes::metrics},
}};

}  // namespace medvqa::plugin
