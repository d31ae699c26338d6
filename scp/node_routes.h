#pragma once

#include <array>

#include "api/exchange.h"
#include "api/routes.h"
#include "http_probes.h"

namespace medvqa {
class Index;
}

namespace medvqa::scp {

// The routes only the node has (its probes, metrics and study list), served like core's answer
// routes (api/answer_api.h) and named in one table of the same kind (kNodeRoutes).
class NodeRoutes {
 public:
  NodeRoutes(Index& index, NodeProbes probes) : index_(index), probes_(std::move(probes)) {}

  api::Reply health(const api::Request& request) const;  // GET /healthz: {"status": "ok"}
  // GET /readyz: 200 when every check says "ok", else 503; the body lists every check either way.
  api::Reply readiness(const api::Request& request) const;
  api::Reply metrics(const api::Request& request) const;  // GET /metrics: text format 0.0.4
  api::Reply studies(const api::Request& request) const;  // GET /studies[?limit=&offset=]
  api::Reply study(const api::Request& request) const;    // GET /studies/{StudyInstanceUID}

 private:
  Index& index_;
  NodeProbes probes_;
};

// The probes and metrics are open: orchestrators and Prometheus call without credentials, and
// they say nothing about patients (docs/security.md).
inline constexpr std::array<api::Route<NodeRoutes>, 5> kNodeRoutes{{
    {"GET", "/healthz", api::kOpen, &NodeRoutes::health},
    {"GET", "/readyz", api::kOpen, &NodeRoutes::readiness},
    {"GET", "/metrics", api::kOpen, &NodeRoutes::metrics},
    {"GET", "/studies", api::needs(auth::Role::Reader), &NodeRoutes::studies},
    {"GET", "/studies/([^/]+)", api::needs(auth::Role::Reader), &NodeRoutes::study},
}};

}  // namespace medvqa::scp
