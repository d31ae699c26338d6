#include "s3rver.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "s3/s3_config.h"

namespace medvqa::test {
namespace fs = std::filesystem;

S3rver::S3rver(std::uint16_t port, std::string bucket) : port_(port), bucket_(std::move(bucket)), dir_("s3rver") {}

void S3rver::start(const fs::path& tlsCert, const fs::path& tlsKey) {
  const fs::path script = fs::path(MEDVQA_BUILD_DIR) / "s3rver" / "node_modules" / "s3rver" / "bin" / "s3rver.js";
  if (!fs::exists(script)) throw std::runtime_error(script.string() + " is missing: the s3rver_install test installs it");
  std::vector<std::string> argv = {"node", script.string(), "--directory", (dir_ / "data").string(), "--address",
                                   "127.0.0.1", "--port", std::to_string(port_), "--silent", "--configure-bucket",
                                   bucket_};
  if (!tlsCert.empty()) argv.insert(argv.end(), {"--cert", tlsCert.string(), "--key", tlsKey.string()});
  https_ = !tlsCert.empty();
  process_ = std::make_unique<Process>(argv, dir_ / "s3rver.log");
  if (!waitForPort(port_, std::chrono::seconds(20))) {
    throw std::runtime_error("s3rver did not start; log:\n" + readFile(dir_ / "s3rver.log"));
  }
}

std::string S3rver::endpoint() const {
  return (https_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_);
}

s3::S3Client s3Reader(const std::string& endpoint, const std::string& bucket, const std::string& accessKeyId,
                      const fs::path& secretFile) {
  const nlohmann::json config = {{"endpoint", endpoint}, {"bucket", bucket}, {"accessKeyId", accessKeyId},
                                 {"secretAccessKeyFile", secretFile.string()}};
  return s3::S3Client(s3::s3DestinationsFromJson(nlohmann::json::array({config}), "reader").front());
}

}  // namespace medvqa::test
