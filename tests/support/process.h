#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace medvqa::test {

// A file descriptor of the test handed to a child as another number (a socket as its stdin, 0,
// or as 3). The test keeps its own.
struct Inherited {
  int fd;
  int as;
};

// A child process the test owns: killed (SIGKILL) and reaped on destruction if still running.
// Its stdout and stderr go to `logFile`; stdin is /dev/null unless `inherited` says otherwise.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::filesystem::path& logFile,
          const std::vector<Inherited>& inherited = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // The exit code (128+signal when killed), or nullopt when still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running();

 private:
  pid_t pid_ = -1;
  std::optional<int> exitCode_;
};

struct RunResult {
  int exitCode = -1;
  std::string output;  // stdout and stderr interleaved
};

// Runs a command to completion (killed after `timeout`), capturing its output.
RunResult run(const std::vector<std::string>& argv, std::chrono::seconds timeout = std::chrono::seconds(120));

// A TCP socket of the test on 127.0.0.1, bound at construction to a port the OS picks, and
// held until destruction: no other process can take the port meanwhile, so it can be given to
// a peer before anything serves on it. Until listen(), connections to it are refused (a peer
// that is down). Close-on-exec: children get it only through Process's `inherited`.
class LoopbackSocket {
 public:
  LoopbackSocket();
  ~LoopbackSocket();
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;

  std::uint16_t port() const { return port_; }
  int fd() const { return fd_; }
  void listen();
  // The next connection (close-on-exec), or -1 when none came within `timeout`.
  int accept(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// The TCP ports `pid` listens on, from /proc: its socket inodes matched against the LISTEN
// entries of the kernel's TCP tables.
std::set<std::uint16_t> listeningPorts(pid_t pid);

std::string readFile(const std::filesystem::path& file);

}  // namespace medvqa::test
