#include "syslog_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <stdexcept>

namespace medvqa::test {

SyslogListener::SyslogListener(ssl_ctx_st* tls, std::size_t closeAfter) : tls_(tls), closeAfter_(closeAfter) {
  listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listenFd_, 8) != 0 ||
      ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("syslog listener cannot listen");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { run(); });
}

SyslogListener::~SyslogListener() {
  stopping_ = true;
  thread_.join();
  ::close(listenFd_);
}

std::vector<std::string> SyslogListener::waitForFrames(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, timeout, [&] { return frames_.size() >= n; });
  return frames_;
}

bool SyslogListener::waitForHangUps(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return hangUps_ >= n; });
}

std::string SyslogListener::framingError() const {
  std::lock_guard lock(mutex_);
  return framingError_;
}

void SyslogListener::run() {
  // A client that leaves first makes our close_notify (or a session ticket) raise SIGPIPE,
  // which would end the whole test process; blocked here, the write just fails.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  while (!stopping_) {
    pollfd p{listenFd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    serve(fd);
    ::close(fd);
    {
      std::lock_guard lock(mutex_);
      ++hangUps_;
    }
    arrived_.notify_all();
  }
}

// Reads frames until the client closes, the listener stops, or closeAfter_ frames came.
void SyslogListener::serve(int fd) {
  const timeval tv{0, 50000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  SSL* ssl = nullptr;
  if (tls_) {
    ssl = SSL_new(tls_);
    SSL_set_fd(ssl, fd);
    int rc;
    do {
      rc = SSL_accept(ssl);
    } while (rc <= 0 && SSL_get_error(ssl, rc) == SSL_ERROR_WANT_READ && !stopping_);
    if (rc <= 0) {
      SSL_free(ssl);
      return;
    }
  }
  std::string buffer;
  std::size_t frames = 0;
  char chunk[65536];
  while (!stopping_ && (closeAfter_ == 0 || frames < closeAfter_)) {
    const int n = ssl ? SSL_read(ssl, chunk, sizeof chunk) : static_cast<int>(::recv(fd, chunk, sizeof chunk, 0));
    if (n <= 0) {
      const bool wouldBlock = ssl ? SSL_get_error(ssl, n) == SSL_ERROR_WANT_READ : (n < 0 && errno == EAGAIN);
      if (wouldBlock) continue;
      break;
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    for (;;) {
      const auto space = buffer.find(' ');
      if (space == std::string::npos) break;
      const std::string length = buffer.substr(0, space);
      if (length.empty() || length.find_first_not_of("0123456789") != std::string::npos) {
        std::lock_guard lock(mutex_);
        framingError_ = "bad frame length '" + length.substr(0, 20) + "'";
        buffer.clear();
        break;
      }
      const std::size_t size = std::stoul(length);
      if (buffer.size() < space + 1 + size) break;
      {
        std::lock_guard lock(mutex_);
        frames_.push_back(buffer.substr(space + 1, size));
      }
      arrived_.notify_all();
      buffer.erase(0, space + 1 + size);
      ++frames;
    }
  }
  if (!buffer.empty() && (closeAfter_ == 0 || frames < closeAfter_)) {
    std::lock_guard lock(mutex_);
    framingError_ = "connection ended inside a frame (" + std::to_string(buffer.size()) + " bytes)";
  }
  if (ssl) {
    SSL_shutdown(ssl);
    SSL_free(ssl);
  }
}

SyslogMessage parseSyslog(const std::string& message) {
  SyslogMessage m;
  std::istringstream in(message);
  std::string priVersion;
  in >> priVersion >> m.timestamp >> m.hostname >> m.appName >> m.procId >> m.msgId >> m.structuredData;
  const auto close = priVersion.find('>');
  if (priVersion.empty() || priVersion[0] != '<' || close == std::string::npos) return m;
  m.pri = priVersion.substr(1, close - 1);
  m.version = priVersion.substr(close + 1);
  std::string rest = message.substr(static_cast<std::size_t>(in.tellg()) + 1);
  m.bom = rest.rfind("\xEF\xBB\xBF", 0) == 0;
  m.msg = m.bom ? rest.substr(3) : rest;
  return m;
}

}  // namespace medvqa::test
