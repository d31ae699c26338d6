#include "storescp_peer.h"

#include <unistd.h>

#include <algorithm>

#include "dicom_files.h"

namespace medvqa::test {
namespace fs = std::filesystem;

StorescpPeer::StorescpPeer(std::string aet, std::vector<std::string> options, bool up)
    : aet_(std::move(aet)), options_(std::move(options)), dir_("storescp-" + aet_) {
  fs::create_directories(folder());
  if (up) this->up();
}

StorescpPeer::~StorescpPeer() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  // A storescp still inside its association gets a moment to finish it; then it is killed.
  for (auto& p : served_) p->wait(std::chrono::seconds(5));
  served_.clear();
}

void StorescpPeer::up() {
  if (thread_.joinable()) return;
  socket_.listen();
  thread_ = std::thread([this] { serve(); });
}

void StorescpPeer::serve() {
  std::size_t n = 0;
  while (!stopping_) {
    const int connection = socket_.accept(std::chrono::milliseconds(50));
    if (connection < 0) continue;
    std::vector<std::string> argv = {"storescp", "--inetd", "-aet", aet_, "-od", folder().string()};
    argv.insert(argv.end(), options_.begin(), options_.end());
    try {
      auto process = std::make_unique<Process>(argv, dir_ / ("storescp-" + std::to_string(n++) + ".log"),
                                               std::vector<Inherited>{{connection, STDIN_FILENO}});
      std::lock_guard lock(mutex_);
      served_.push_back(std::move(process));
      served_.remove_if([](const auto& p) { return !p->running(); });
    } catch (const std::exception&) {
      // The connection is dropped (the node sees a failed association); the next one may do.
    }
    ::close(connection);
  }
}

std::vector<fs::path> StorescpPeer::received() const {
  auto files = filesUnder(folder());
  std::sort(files.begin(), files.end());
  return files;
}

std::string StorescpPeer::log() const {
  std::string text;
  std::vector<fs::path> logs;
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    if (entry.path().extension() == ".log") logs.push_back(entry.path());
  }
  std::sort(logs.begin(), logs.end());
  for (const auto& file : logs) text += "--- " + file.filename().string() + "\n" + readFile(file);
  return text;
}

}  // namespace medvqa::test
