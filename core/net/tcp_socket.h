#pragma once

#include <dcmtk/dcmnet/dcmtrans.h>

#include <string>

namespace medvqa::net {

// The TCP socket under the connections our transport layers create, which DCMTK keeps protected.
// Association code tunes its timeouts and closes it promptly at the end of an association.
class SocketOwner {
 public:
  virtual ~SocketOwner() = default;
  virtual DcmNativeSocketType nativeSocket() = 0;
};

// The socket under `connection` when one of our layers created it, else -1.
DcmNativeSocketType nativeSocket(DcmTransportConnection* connection);

// The two options a DICOM peer needs to not wait on itself (why: quick_ack_transport.h).
// TCP_NODELAY is sticky; TCP_QUICKACK is not in Linux and is re-armed before every read.
void setNoDelay(DcmNativeSocketType socket);
void armQuickAck(DcmNativeSocketType socket);

// "10.0.0.7:51234" (or "[::1]:51234"): who is on the other end, for logs; "?" when unknown.
std::string peerAddress(DcmNativeSocketType socket);

}  // namespace medvqa::net
