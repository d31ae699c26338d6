#pragma once

#include <functional>
#include <map>
#include <string>

namespace httplib {
class Server;
}

namespace medvqa::scp {

// What the node says about itself to orchestrators and Prometheus, computed when asked.
struct NodeProbes {
  std::function<std::string()> metrics;  // Prometheus text exposition; empty: no /metrics route
  // Each readiness check's name -> "ok" or why it fails; empty function: no /readyz route.
  std::function<std::map<std::string, std::string>()> readiness;
};

// GET /metrics (text format 0.0.4) and GET /readyz (200 when every check says "ok", else 503;
// the body lists every check either way). Both are open routes (docs/security.md).
void addProbeRoutes(httplib::Server& server, const NodeProbes& probes);

}  // namespace medvqa::scp
