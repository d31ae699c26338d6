#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "net/dicom_peer.h"

class DcmSCU;

namespace medvqa::net {

// One (SOP class, transfer syntax) pair to propose.
using SyntaxPair = std::pair<std::string, std::string>;

// A C-STORE SCU association to one peer (C-MOVE destinations now, PACS forwarding later).
// Files go out as stored when the peer accepted their transfer syntax, else decoded into the
// uncompressed syntax it accepted (dicom::transcodeForPeer).
class StoreClient {
 public:
  StoreClient(DicomPeer peer, std::string callingAet, unsigned timeoutSeconds);
  ~StoreClient();
  StoreClient(const StoreClient&) = delete;
  StoreClient& operator=(const StoreClient&) = delete;

  // Proposes a context per pair (plus uncompressed fall-backs) and opens the association.
  // Throws Error(Network) naming the peer when it cannot connect or negotiate.
  void connect(const std::set<SyntaxPair>& pairs);

  // Sends one file; returns the peer's DIMSE status, for net::classifyDimseStatus or
  // net::storedByPeer (net/dimse_status.h) to read. Throws Error(Network) when no context was
  // accepted for it or the association broke, Error(Dicom) when it cannot be decoded for the peer.
  std::uint16_t send(const std::filesystem::path& file, const SyntaxPair& syntax,
                     const std::string& moveOriginatorAet = {}, std::uint16_t moveOriginatorMessageId = 0);

  const DicomPeer& peer() const { return peer_; }

 private:
  DicomPeer peer_;
  std::unique_ptr<DcmSCU> scu_;
};

}  // namespace medvqa::net
