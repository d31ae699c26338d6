#pragma once

#include <functional>
#include <map>
#include <string>

namespace medvqa::scp {

// What the node says about itself to orchestrators and Prometheus, computed when asked: GET
// /metrics and GET /readyz (node_routes.h), both open routes (docs/security.md).
struct NodeProbes {
  std::function<std::string()> metrics;  // Prometheus text exposition; empty: no /metrics route
  // Each readiness check's name -> "ok" or why it fails; empty function: no /readyz route.
  std::function<std::map<std::string, std::string>()> readiness;
};

}  // namespace medvqa::scp
