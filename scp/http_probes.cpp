#include "http_probes.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

namespace medvqa::scp {

void addProbeRoutes(httplib::Server& server, const NodeProbes& probes) {
  if (probes.metrics) {
    server.Get("/metrics", [metrics = probes.metrics](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics(), "text/plain; version=0.0.4");
    });
  }
  if (probes.readiness) {
    server.Get("/readyz", [readiness = probes.readiness](const httplib::Request&, httplib::Response& res) {
      nlohmann::json checks = nlohmann::json::object();
      bool ready = true;
      for (const auto& [name, state] : readiness()) {
        checks[name] = state;
        ready = ready && state == "ok";
      }
      res.status = ready ? 200 : 503;
      res.set_content(nlohmann::json{{"ready", ready}, {"checks", checks}}.dump(), "application/json");
    });
  }
}

}  // namespace medvqa::scp
