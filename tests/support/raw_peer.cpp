#include "raw_peer.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace medvqa::test {

using Clock = std::chrono::steady_clock;

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }
Bytes be16(std::uint16_t v) { return {std::uint8_t(v >> 8), std::uint8_t(v)}; }
Bytes be32(std::uint32_t v) { return {std::uint8_t(v >> 24), std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)}; }
Bytes le16(std::uint16_t v) { return {std::uint8_t(v), std::uint8_t(v >> 8)}; }
Bytes le32(std::uint32_t v) { return {std::uint8_t(v), std::uint8_t(v >> 8), std::uint8_t(v >> 16), std::uint8_t(v >> 24)}; }

Bytes pdu(std::uint8_t type, const Bytes& body) {
  return cat({{type, 0}, be32(static_cast<std::uint32_t>(body.size())), body});
}
Bytes item(std::uint8_t type, const Bytes& body) {
  return cat({{type, 0}, be16(static_cast<std::uint16_t>(body.size())), body});
}
Bytes aeField(const std::string& ae) {
  Bytes out(16, ' ');
  std::copy_n(ae.begin(), std::min<std::size_t>(ae.size(), 16), out.begin());
  return out;
}

std::ostream& operator<<(std::ostream& out, Reply::Kind kind) {
  return out << (kind == Reply::Kind::Pdu ? "a PDU" : kind == Reply::Kind::Closed ? "closed" : "timeout");
}

RawPeer::RawPeer(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) close();
}

RawPeer::~RawPeer() { close(); }

void RawPeer::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool RawPeer::send(const Bytes& bytes) {
  std::size_t done = 0;
  while (fd_ >= 0 && done < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return done == bytes.size();
}

Reply RawPeer::read(std::chrono::milliseconds timeout) {
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  Reply r;
  Bytes header;
  r.kind = readExact(header, 6, deadline);
  if (r.kind == Reply::Kind::Pdu) {
    r.type = header[0];
    const std::uint32_t length = (std::uint32_t(header[2]) << 24) | (header[3] << 16) | (header[4] << 8) | header[5];
    r.kind = readExact(r.body, std::min<std::uint32_t>(length, 1u << 20), deadline);
  }
  r.after = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return r;
}

Reply::Kind RawPeer::readExact(Bytes& out, std::size_t n, Clock::time_point deadline) {
  out.resize(n);
  std::size_t done = 0;
  while (done < n) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_, POLLIN, 0};
    if (fd_ < 0 || left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return Reply::Kind::Timeout;
    const ssize_t got = ::recv(fd_, out.data() + done, n - done, 0);
    if (got <= 0) return Reply::Kind::Closed;  // EOF or reset
    done += static_cast<std::size_t>(got);
  }
  return Reply::Kind::Pdu;
}

}  // namespace medvqa::test
