#include "pipeline/store_transport.h"

#include <set>
#include <utility>
#include <vector>

#include "net/dimse_status.h"

namespace medvqa::pipeline {

std::optional<DeliveryTarget> StoreTransport::target(const std::string& destination) const {
  const auto peer = peers_.find(destination);
  if (peer == peers_.end()) return std::nullopt;
  return DeliveryTarget{DeliveryTarget::Kind::Peer, peer->second.aet, peer->second.host};
}

void StoreTransport::deliver(const std::string& destination, const std::vector<Delivery>& batch,
                             DeliveryReport& report) {
  const net::DicomPeer& peer = peers_.at(destination);
  std::vector<std::pair<std::size_t, OutgoingFile>> files;
  std::set<net::SyntaxPair> pairs;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto file = resolve_(batch[i].sopInstanceUid);
    if (!file) {
      report.failed(i, "instance " + batch[i].sopInstanceUid + " is no longer stored");
      continue;
    }
    report.resolved(i, file->instance);
    pairs.insert({file->instance.sopClassUid, file->transferSyntaxUid});
    files.emplace_back(i, std::move(*file));
  }
  if (files.empty()) return;
  net::StoreClient client(peer, callingAet_, timeoutSeconds_);
  client.connect(pairs);
  for (const auto& [index, file] : files) {
    const std::uint16_t status = client.send(file.path, {file.instance.sopClassUid, file.transferSyntaxUid});
    // Success, or a warning (the peer kept the instance, with a remark): delivered.
    if (net::storedByPeer(status)) {
      report.sent(index);
    } else {
      report.failed(index, peer.aet + " answered C-STORE status " + net::hexStatus(status));
    }
  }
}

}  // namespace medvqa::pipeline
