#pragma once

#include <dcmtk/dcmnet/dcmlayer.h>

#include "net/tcp_socket.h"

namespace medvqa::net {

// DCMTK's plain TCP transport with the two socket options a DICOM peer needs to not wait on
// itself. TCP_NODELAY: our own small PDUs go out at once. TCP_QUICKACK before every read: stock
// SCUs (DCMTK's tools, Orthanc) write a PDU header and its body in two writes without
// TCP_NODELAY, so their second write waits for our ACK, which Linux delays by up to 40 ms; with
// quick ACKs each of their messages arrives in one round trip. Measured: docs/benchmarks.md.
// Its connections are SocketOwners (nativeSocket()).
class QuickAckTransportLayer : public DcmTransportLayer {
 public:
  DcmTransportConnection* createConnection(DcmNativeSocketType openSocket, OFBool useSecureLayer) override;
};

}  // namespace medvqa::net
