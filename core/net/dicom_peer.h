#pragma once

#include <cstdint>
#include <string>

namespace medvqa::net {

// A DICOM peer the node may open an association to (a C-MOVE destination, a forwarding
// target), by AE title. Configured in the "destinations" section (config::parsePeer reads the
// "AET@HOST:PORT" form).
struct DicomPeer {
  std::string aet;
  std::string host;
  std::uint16_t port = 0;
};

}  // namespace medvqa::net
