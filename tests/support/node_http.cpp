#include "node_http.h"

#include <httplib.h>

#include <thread>

#include "prometheus_text.h"

namespace medvqa::test {

nlohmann::json getJson(std::uint16_t port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60, 0);
  const auto res = client.Get(path.c_str());
  if (!res) return nlohmann::json{{"http_error", httplib::to_string(res.error())}};
  nlohmann::json body = nlohmann::json::parse(res->body, nullptr, false);
  if (!body.is_object()) return nlohmann::json{{"http_status", res->status}, {"body", res->body}};
  body["http_status"] = res->status;
  return body;
}

double metricValue(std::uint16_t port, const std::string& sample) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  const auto res = client.Get("/metrics");
  return res && res->status == 200 ? sampleValue(res->body, sample) : -1;
}

bool waitUntil(const std::function<bool()>& probe, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return probe();
}

std::filesystem::path answeringModelFolder() {
  const std::filesystem::path demo = std::filesystem::path(MEDVQA_SOURCE_DIR) / "models" / "demo";
  if (std::filesystem::exists(demo / "manifest.json")) return demo;
  return std::filesystem::path(MEDVQA_BUILD_DIR) / "testmodels" / "tiny-model";
}

}  // namespace medvqa::test
