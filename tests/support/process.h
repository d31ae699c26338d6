#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace medvqa::test {

// A child process the test owns: killed (SIGKILL) and reaped on destruction if still running.
// Its stdout and stderr go to `logFile`.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::filesystem::path& logFile);
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

// A loopback TCP port that nothing listens on right now.
std::uint16_t freePort();
// True once something accepts TCP connections on 127.0.0.1:port.
bool waitForPort(std::uint16_t port, std::chrono::milliseconds timeout);

std::string readFile(const std::filesystem::path& file);

}  // namespace medvqa::test
