#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "net/store_client.h"
#include "pipeline/delivery_transport.h"

namespace medvqa::pipeline {

// An instance of the node's store as C-STORE sends it.
struct OutgoingFile {
  std::filesystem::path path;
  std::string transferSyntaxUid;
  OutgoingInstance instance;
};
// The stored file of a SOP instance; nullopt when it is no longer stored.
using FileResolver = std::function<std::optional<OutgoingFile>(const std::string& sopInstanceUid)>;

// C-STOREs the node's files to its configured DICOM destinations through net::StoreClient: one
// association per destination per pass, every syntax of the batch proposed at once. A peer that
// refuses an instance fails that one; a peer that is down or breaks mid-way fails the rest (the
// sender retries them).
class StoreTransport final : public DeliveryTransport {
 public:
  // `peers` by outbox destination (their AE titles).
  StoreTransport(std::map<std::string, net::DicomPeer> peers, std::string callingAet, unsigned timeoutSeconds,
                 FileResolver resolve)
      : peers_(std::move(peers)),
        callingAet_(std::move(callingAet)),
        timeoutSeconds_(timeoutSeconds),
        resolve_(std::move(resolve)) {}

  std::optional<DeliveryTarget> target(const std::string& destination) const override;
  void deliver(const std::string& destination, const std::vector<Delivery>& batch, DeliveryReport& report) override;

 private:
  std::map<std::string, net::DicomPeer> peers_;
  std::string callingAet_;
  unsigned timeoutSeconds_;
  FileResolver resolve_;
};

}  // namespace medvqa::pipeline
