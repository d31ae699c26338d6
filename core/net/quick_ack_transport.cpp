#include "net/quick_ack_transport.h"

#include <dcmtk/dcmnet/dcmtrans.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace medvqa::net {
namespace {

void setOption(DcmNativeSocketType socket, int option) {
  const int on = 1;
  ::setsockopt(socket, IPPROTO_TCP, option, &on, sizeof on);
}

class QuickAckConnection : public DcmTCPConnection {
 public:
  explicit QuickAckConnection(DcmNativeSocketType socket) : DcmTCPConnection(socket) {
    setOption(socket, TCP_NODELAY);
  }

  ssize_t read(void* buf, size_t nbyte) override {
    // Not sticky in Linux: re-armed before each read, which also flushes an ACK still pending.
    setOption(getSocket(), TCP_QUICKACK);
    return DcmTCPConnection::read(buf, nbyte);
  }

  DcmNativeSocketType socket() { return getSocket(); }
};

}  // namespace

DcmTransportConnection* QuickAckTransportLayer::createConnection(DcmNativeSocketType openSocket,
                                                                 OFBool /*useSecureLayer*/) {
  return new QuickAckConnection(openSocket);
}

DcmNativeSocketType nativeSocket(DcmTransportConnection* connection) {
  auto* ours = dynamic_cast<QuickAckConnection*>(connection);
  return ours ? ours->socket() : -1;
}

}  // namespace medvqa::net
