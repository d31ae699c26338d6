#include "node_under_test.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "dicom_files.h"

namespace medvqa::test {
namespace fs = std::filesystem;

fs::path buildBin(const std::string& name) { return fs::path(MEDVQA_BUILD_DIR) / "bin" / name; }
fs::path testData(const std::string& name) { return fs::path(MEDVQA_BUILD_DIR) / "testdata" / name; }

std::vector<fs::path> corpusFiles() {
  std::vector<fs::path> files;
  for (const auto& f : filesUnder(fs::path(MEDVQA_BUILD_DIR) / "testdata")) {
    if (f.extension() == ".dcm" && f.parent_path().filename() != "hostile") files.push_back(f);
  }
  return files;
}

TempDir::TempDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() /
          ("medvqa-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

NodeUnderTest::NodeUnderTest(std::vector<std::string> extraArgs, std::string aet)
    : dir_("node"), extraArgs_(std::move(extraArgs)), aet_(std::move(aet)) {}

NodeUnderTest::~NodeUnderTest() = default;

void NodeUnderTest::start() {
  // Flags that come later win: extraArgs may turn a listener off or ask for a TLS one.
  std::vector<std::string> argv = {buildBin("medvqa-scp").string(), "--aet", aet_, "--port", "0", "--http-port", "0",
                                   "--storage", storage().string(), "--ports-file", portsFile().string()};
  const auto configuresAuth = [this] {
    return std::any_of(extraArgs_.begin(), extraArgs_.end(), [](const std::string& arg) {
      return arg == "--http-auth" || arg == "--jwt-hs256-secret-file" || arg == "--jwt-rs256-public-key";
    });
  };
  if (!configuresAuth()) argv.insert(argv.end(), {"--http-auth", "off"});
  argv.insert(argv.end(), extraArgs_.begin(), extraArgs_.end());
  fs::remove(portsFile());  // the node removes it too; this one must not be taken for the new one's
  port_ = httpPort_ = tlsPort_ = 0;
  process_ = std::make_unique<Process>(argv, dir_ / "node.log");
  // Written (atomically: a rename) once the node is ready; a node that cannot start exits.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(portsFile())) {
    if (!process_->running() || std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("medvqa-scp did not start; log:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto ports = nlohmann::json::parse(readFile(portsFile()));
  port_ = ports.value("dicom", std::uint16_t{0});
  tlsPort_ = ports.value("tls", std::uint16_t{0});
  httpPort_ = ports.value("http", std::uint16_t{0});
}

int NodeUnderTest::stop(int sig) {
  process_->signal(sig);
  const auto code = process_->wait(std::chrono::seconds(30));
  process_.reset();
  return code ? *code : -1;
}

void NodeUnderTest::kill9() { stop(9); }

RunResult NodeUnderTest::storeFiles(const std::vector<fs::path>& files, const std::string& callingAet) const {
  std::map<std::string, std::vector<std::string>> bySyntax;
  for (const auto& f : files) bySyntax[transferSyntaxOf(f)].push_back(f.string());
  RunResult last;
  for (const auto& [ts, paths] : bySyntax) {
    last = dcmtk("storescu", {storescuProposalFor(ts)}, paths, callingAet);
    if (last.exitCode != 0) return last;
  }
  return last;
}

RunResult NodeUnderTest::dcmtk(const std::string& tool, const std::vector<std::string>& options,
                               const std::vector<std::string>& trailing, const std::string& callingAet) const {
  return dcmtkAt(port_, tool, options, trailing, callingAet);
}

RunResult NodeUnderTest::dcmtkAt(std::uint16_t port, const std::string& tool, const std::vector<std::string>& options,
                                 const std::vector<std::string>& trailing, const std::string& callingAet) const {
  std::vector<std::string> argv = {tool, "-aet", callingAet, "-aec", aet_};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("127.0.0.1");
  argv.push_back(std::to_string(port));
  argv.insert(argv.end(), trailing.begin(), trailing.end());
  return run(argv);
}

}  // namespace medvqa::test
