#include "common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "common/error.h"

namespace medvqa::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::Info)};
std::mutex g_writeMutex;
Sink g_sink;  // guarded by g_writeMutex

const char* name(Level level) {
  switch (level) {
    case Level::Debug: return "DEBUG";
    case Level::Info: return "INFO";
    case Level::Warn: return "WARN";
    case Level::Error: return "ERROR";
  }
  return "?";
}

}  // namespace

void setSink(Sink sink) {
  std::lock_guard lock(g_writeMutex);
  g_sink = std::move(sink);
}

void setLevel(Level level) { g_level = static_cast<int>(level); }

Level parseLevel(std::string_view n) {
  if (n == "debug") return Level::Debug;
  if (n == "info") return Level::Info;
  if (n == "warn") return Level::Warn;
  if (n == "error") return Level::Error;
  throw Error(ErrorCode::Config, "log level must be debug|info|warn|error, got '" + std::string(n) + "'");
}

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void write(Level level, std::string_view message) {
  if (!enabled(level)) return;
  {
    std::lock_guard lock(g_writeMutex);
    if (g_sink) {
      g_sink(level, message);
      return;
    }
  }
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  std::lock_guard lock(g_writeMutex);
  std::fprintf(stderr, "%s.%03dZ %-5s %.*s\n", stamp, static_cast<int>(millis), name(level),
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

std::string mask(std::string_view id) {
  if (id.empty()) return {};
  std::string out;
  out += id.front();
  out += "***";
  if (id.size() > 1) out += id.back();
  out += " (" + std::to_string(id.size()) + ")";
  return out;
}

}  // namespace medvqa::log
