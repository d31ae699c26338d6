#pragma once

// Raw DICOM upper-layer bytes for hostile-input tests: PDUs built by hand (PS3.8 section 9) and a
// TCP peer that sends them and reads whole PDUs back, with no DCMTK on the client side (DCMTK
// would refuse to send most of what these tests need).

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

namespace medvqa::test {

using Bytes = std::vector<std::uint8_t>;

Bytes cat(std::initializer_list<Bytes> parts);
Bytes text(const std::string& s);
Bytes be16(std::uint16_t v);
Bytes be32(std::uint32_t v);
Bytes le16(std::uint16_t v);
Bytes le32(std::uint32_t v);

// PDU: type, reserved, 4-byte big-endian length, body.
Bytes pdu(std::uint8_t type, const Bytes& body);
// Item or sub-item: type, reserved, 2-byte big-endian length, body.
Bytes item(std::uint8_t type, const Bytes& body);
// An AE title field: 16 bytes, space padded (whatever `ae` holds, NULs included).
Bytes aeField(const std::string& ae);

struct Reply {
  enum class Kind { Pdu, Closed, Timeout } kind = Kind::Timeout;
  std::uint8_t type = 0;
  Bytes body;
  std::chrono::milliseconds after{0};
};

std::ostream& operator<<(std::ostream& out, Reply::Kind kind);  // for test failure messages

// A TCP connection to 127.0.0.1:port. Closed when it goes out of scope.
class RawPeer {
 public:
  explicit RawPeer(std::uint16_t port);
  ~RawPeer();
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  bool connected() const { return fd_ >= 0; }
  void close();
  // All of `bytes`, or false when the node closed or reset the connection.
  bool send(const Bytes& bytes);
  // The next whole PDU (bodies beyond 1 MiB are cut), or how the wait for it ended.
  Reply read(std::chrono::milliseconds timeout);

 private:
  Reply::Kind readExact(Bytes& out, std::size_t n, std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
};

}  // namespace medvqa::test
