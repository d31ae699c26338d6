#pragma once

#include <memory>

#include "config/node_config.h"
#include "ports_file.h"

namespace medvqa::scp {

// medvqa-scp as one object: the core pieces (store, index, ingest, stable-study monitor) and the
// two front doors (DICOM listener, HTTP API), built from one typed config.
class Node {
 public:
  explicit Node(config::NodeConfig config);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Opens the storage (recovering from a crash if needed), binds the ports, starts serving; then
  // logs the ready line, with the ports as bound. Throws medvqa::Error with a clear message when
  // any of that fails.
  void start();
  // After start(): the ports it listens on (a port configured as 0 is the one the OS picked).
  ListeningPorts ports() const;
  // Stops accepting, lets in-flight associations finish, stops the HTTP API.
  void stop();

 private:
  struct Parts;
  config::NodeConfig config_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace medvqa::scp
