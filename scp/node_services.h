#pragma once

#include <atomic>
#include <cstdint>

#include "config/node_config.h"

namespace medvqa {
class Index;
}
namespace medvqa::store {
class FileStore;
}
namespace medvqa::metrics {
class Metrics;
}
namespace medvqa::audit {
class AuditTrail;
}
namespace medvqa::node {
class Ingestor;
class StudyActivity;
}  // namespace medvqa::node

namespace medvqa::scp {

// What every association handler may use: the node's core objects, owned by Node.
struct NodeServices {
  const config::NodeConfig& config;
  store::FileStore& files;
  Index& index;
  node::Ingestor& ingestor;
  node::StudyActivity& activity;
  metrics::Metrics& metrics;
  audit::AuditTrail* audit = nullptr;  // null: audit off
};

}  // namespace medvqa::scp
