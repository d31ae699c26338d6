#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace medvqa::test {

// GET http://127.0.0.1:port/path as JSON. An object body gains "http_status"; any other body
// comes back as {"http_status", "body"}; no connection at all as {"http_error"}.
nlohmann::json getJson(std::uint16_t port, const std::string& path);

// One sample of GET http://127.0.0.1:port/metrics ("name{labels}", as sampleValue in
// prometheus_text.h), or -1 while it is absent or the node does not answer.
double metricValue(std::uint16_t port, const std::string& sample);

// Polls `probe` every 200 ms until it returns true or `timeout` passes; then one last try.
bool waitUntil(const std::function<bool()>& probe, std::chrono::milliseconds timeout);

// The trained demo model when the checkout has it, else the tiny random-weight test model (the
// mechanics are the same; only accuracy checks need the real one).
std::filesystem::path answeringModelFolder();
inline bool usingDemoModel() { return answeringModelFolder().filename() == "demo"; }

}  // namespace medvqa::test
