#pragma once

#include <string>
#include <string_view>

namespace medvqa::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void setLevel(Level level);
Level parseLevel(std::string_view name);  // throws Error(Config) on an unknown name
bool enabled(Level level);

// One line to stderr: ISO-8601 UTC timestamp, level, message. Thread-safe.
void write(Level level, std::string_view message);

inline void debug(std::string_view m) { if (enabled(Level::Debug)) write(Level::Debug, m); }
inline void info(std::string_view m) { write(Level::Info, m); }
inline void warn(std::string_view m) { write(Level::Warn, m); }
inline void error(std::string_view m) { write(Level::Error, m); }

// Patient identifiers never reach a log in clear: "DOE^JOHN" -> "D***N (8)". Empty stays empty.
std::string mask(std::string_view identifying);

}  // namespace medvqa::log
