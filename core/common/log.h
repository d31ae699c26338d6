#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace medvqa::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void setLevel(Level level);
Level parseLevel(std::string_view name);  // throws Error(Config) on an unknown name
bool enabled(Level level);

// One line to stderr: ISO-8601 UTC timestamp, level, message. Thread-safe.
void write(Level level, std::string_view message);

// Where lines go instead of stderr: the Orthanc plugin hands them to Orthanc's own log, so they
// follow Orthanc's --logdir and --verbose. An empty function restores stderr. Set it before the
// threads that log start, and clear it after they stop (the sink may live in a library that is
// about to be unloaded).
using Sink = std::function<void(Level, std::string_view)>;
void setSink(Sink sink);

inline void debug(std::string_view m) { if (enabled(Level::Debug)) write(Level::Debug, m); }
inline void info(std::string_view m) { write(Level::Info, m); }
inline void warn(std::string_view m) { write(Level::Warn, m); }
inline void error(std::string_view m) { write(Level::Error, m); }

// Patient identifiers never reach a log in clear: "DOE^JOHN" -> "D***N (8)". Empty stays empty.
std::string mask(std::string_view identifying);

}  // namespace medvqa::log
