#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "process.h"

namespace medvqa::test {

std::filesystem::path buildBin(const std::string& name);   // build/bin/<name>
std::filesystem::path testData(const std::string& name);   // the generated corpus (make-testdata.sh)
// Every instance of the clean corpus (all transfer syntaxes, CT/MR/CR), hostile files excluded.
std::vector<std::filesystem::path> corpusFiles();

// A fresh folder under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A real medvqa-scp process with its own storage folder, listening on ports the OS picks
// (--port 0 --http-port 0), which it reports in its --ports-file. Its HTTP API runs with bearer
// auth explicitly off (--http-auth off) so that tests of other things can call it without
// tokens, unless `extraArgs` configure the API's auth themselves (--http-auth,
// --jwt-hs256-secret-file, --jwt-rs256-public-key). `extraArgs` may also set --tls-port (0: a
// port the OS picks) and --port off (TLS only).
class NodeUnderTest {
 public:
  explicit NodeUnderTest(std::vector<std::string> extraArgs = {}, std::string aet = "MEDVQA");
  ~NodeUnderTest();

  // Starts it and waits until it is ready: its ports file is written once every listener is
  // bound and serving. Each start gets fresh ports. Throws, with the node's log, when it exits
  // or does not get ready within a minute.
  void start();
  int stop(int sig = 15);       // signal, wait, return the exit code
  void kill9();

  pid_t pid() const { return process_ ? process_->pid() : -1; }
  // The ports of the last start(), as the node reported them; 0 for a listener that is off.
  std::uint16_t port() const { return port_; }
  std::uint16_t tlsPort() const { return tlsPort_; }  // 0 unless extraArgs set --tls-port
  std::uint16_t httpPort() const { return httpPort_; }
  std::filesystem::path portsFile() const { return dir_ / "ports.json"; }
  const std::string& aet() const { return aet_; }
  std::filesystem::path storage() const { return dir_ / "storage"; }
  std::string log() const { return readFile(dir_ / "node.log"); }
  std::string peer() const { return aet_ + "@127.0.0.1:" + std::to_string(port_); }

  // A DCMTK tool against this node: TOOL -aet CALLING -aec AET OPTIONS 127.0.0.1 PORT TRAILING.
  // Sends files the way modalities do: one storescu per transfer syntax, proposing exactly it.
  // Returns the first failing run, or the last one.
  RunResult storeFiles(const std::vector<std::filesystem::path>& files, const std::string& callingAet = "TESTSCU") const;

  RunResult dcmtk(const std::string& tool, const std::vector<std::string>& options,
                  const std::vector<std::string>& trailing = {}, const std::string& callingAet = "TESTSCU") const;
  // The same against another of its ports (the TLS one).
  RunResult dcmtkAt(std::uint16_t port, const std::string& tool, const std::vector<std::string>& options,
                    const std::vector<std::string>& trailing = {}, const std::string& callingAet = "TESTSCU") const;

 private:
  TempDir dir_;
  std::vector<std::string> extraArgs_;
  std::string aet_;
  std::uint16_t port_ = 0;
  std::uint16_t httpPort_ = 0;
  std::uint16_t tlsPort_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace medvqa::test
