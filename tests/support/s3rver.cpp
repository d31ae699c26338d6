#include "s3rver.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "config/s3_config.h"

namespace medvqa::test {
namespace fs = std::filesystem;

S3rver::S3rver(std::string bucket) : bucket_(std::move(bucket)), dir_("s3rver") {}

void S3rver::start(const fs::path& tlsCert, const fs::path& tlsKey) {
  const fs::path package = fs::path(MEDVQA_BUILD_DIR) / "s3rver" / "node_modules" / "s3rver";
  if (!fs::exists(package / "bin" / "s3rver.js")) {
    throw std::runtime_error(package.string() + " is missing: the s3rver_install test installs it");
  }
  const fs::path script = fs::path(MEDVQA_SOURCE_DIR) / "tests" / "support" / "s3rver_on_socket.js";
  std::vector<std::string> argv = {"node", script.string(), package.string(), (dir_ / "data").string(), bucket_};
  if (!tlsCert.empty()) argv.insert(argv.end(), {tlsCert.string(), tlsKey.string()});
  https_ = !tlsCert.empty();
  const fs::path log = dir_ / "s3rver.log";
  process_ = std::make_unique<Process>(argv, log, std::vector<Inherited>{{socket_.fd(), 3}});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (readFile(log).find("s3rver ready") == std::string::npos) {
    if (!process_->running() || std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("s3rver did not start; log:\n" + readFile(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string S3rver::endpoint() const {
  return (https_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(socket_.port());
}

s3::S3Client s3Reader(const std::string& endpoint, const std::string& bucket, const std::string& accessKeyId,
                      const fs::path& secretFile) {
  const nlohmann::json config = {{"endpoint", endpoint}, {"bucket", bucket}, {"accessKeyId", accessKeyId},
                                 {"secretAccessKeyFile", secretFile.string()}};
  return s3::S3Client(config::s3DestinationsFromJson(nlohmann::json::array({config}), "reader").front());
}

}  // namespace medvqa::test
