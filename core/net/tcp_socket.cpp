#include "net/tcp_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace medvqa::net {
namespace {

void setOption(DcmNativeSocketType socket, int option) {
  const int on = 1;
  ::setsockopt(socket, IPPROTO_TCP, option, &on, sizeof on);
}

}  // namespace

DcmNativeSocketType nativeSocket(DcmTransportConnection* connection) {
  auto* ours = dynamic_cast<SocketOwner*>(connection);
  return ours ? ours->nativeSocket() : -1;
}

void setNoDelay(DcmNativeSocketType socket) { setOption(socket, TCP_NODELAY); }

void armQuickAck(DcmNativeSocketType socket) { setOption(socket, TCP_QUICKACK); }

std::string peerAddress(DcmNativeSocketType socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getpeername(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "?";
  char host[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(v4.sin_port));
  }
  if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof host);
    return std::string("[").append(host).append("]:") + std::to_string(ntohs(v6.sin6_port));
  }
  return "?";
}

}  // namespace medvqa::net
