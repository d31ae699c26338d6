#include "net/quick_ack_transport.h"

#include <dcmtk/dcmnet/dcmtrans.h>

namespace medvqa::net {
namespace {

class QuickAckConnection : public DcmTCPConnection, public SocketOwner {
 public:
  explicit QuickAckConnection(DcmNativeSocketType socket) : DcmTCPConnection(socket) { setNoDelay(socket); }

  ssize_t read(void* buf, size_t nbyte) override {
    armQuickAck(getSocket());  // also flushes an ACK still pending
    return DcmTCPConnection::read(buf, nbyte);
  }

  DcmNativeSocketType nativeSocket() override { return getSocket(); }
};

}  // namespace

DcmTransportConnection* QuickAckTransportLayer::createConnection(DcmNativeSocketType openSocket,
                                                                 OFBool /*useSecureLayer*/) {
  return new QuickAckConnection(openSocket);
}

}  // namespace medvqa::net
