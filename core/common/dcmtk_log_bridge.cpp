#include "common/dcmtk_log_bridge.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/oflog/appender.h>
#include <dcmtk/oflog/logger.h>
#include <dcmtk/oflog/oflog.h>
#include <dcmtk/oflog/spi/logevent.h>

#include <algorithm>
#include <optional>

namespace medvqa::log {
namespace {

namespace oflog = dcmtk::log4cplus;

constexpr std::string_view kCharsetConverting = "DcmSpecificCharacterSet: Converting '";
constexpr std::string_view kCodeExtensionsSuffix = "' (with code extensions";

std::optional<std::uint16_t> hex4(std::string_view text) {
  if (text.size() < 4) return std::nullopt;
  std::uint16_t value = 0;
  for (const char c : text.substr(0, 4)) {
    int digit;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    else return std::nullopt;
    value = static_cast<std::uint16_t>(value * 16 + digit);
  }
  return value;
}

// "(gggg,eeee)" at the start of `text`.
bool startsWithIdentifyingTag(std::string_view text) {
  if (text.size() < 11 || text[0] != '(' || text[5] != ',' || text[10] != ')') return false;
  const auto group = hex4(text.substr(1));
  const auto element = hex4(text.substr(6));
  return group && element && isIdentifying(*group, *element);
}

std::size_t skipSpaces(std::string_view text, std::size_t at) {
  while (at < text.size() && text[at] == ' ') ++at;
  return at;
}

std::size_t endOfLine(std::string_view text, std::size_t at) {
  const std::size_t nl = text.find('\n', at);
  return nl == std::string_view::npos ? text.size() : nl;
}

// The ']' closing a value opened at `open`: the last one on its line that DCMTK's "# length, VM
// name" comment follows, since that comment ends every element's line. A ']' or '#' inside the
// value comes before it; a value with a line break in it runs on to the next line. Unclosed: the
// rest of the text is the value. Not proof against a value that itself contains "] #" and then
// a line break, which only a sender forging DCMTK's format would send.
std::size_t closingBracket(std::string_view text, std::size_t open) {
  for (std::size_t line = open + 1; line < text.size();) {
    const std::size_t eol = endOfLine(text, line);
    std::size_t close = std::string_view::npos;
    for (std::size_t at = text.find(']', line); at < eol; at = text.find(']', at + 1)) {
      const std::size_t next = skipSpaces(text, at + 1);
      if (next < eol && text[next] == '#') close = at;
    }
    if (close != std::string_view::npos) return close;
    line = eol + 1;
  }
  return text.size();
}

// Appends the line of `text` that starts at `start` (a value running over several lines: all of
// them) to `out`, masked; returns where the next line starts.
std::size_t maskDumpLine(std::string_view text, std::size_t start, std::string& out) {
  std::size_t at = skipSpaces(text, start);
  if (startsWithIdentifyingTag(text.substr(at))) {
    const std::size_t vr = skipSpaces(text, at + 11);
    const std::size_t vrEnd = std::min(text.find_first_of(" \n", vr), text.size());
    const std::size_t value = skipSpaces(text, vrEnd);
    if (value < text.size() && text[value] == '[') {
      const std::size_t close = closingBracket(text, value);
      out.append(text.substr(start, value + 1 - start));
      out += mask(text.substr(value + 1, close - value - 1));
      start = close;
    } else if (value < text.size() && text[value] != '(' && text[value] != '=' && text[value] != '\n') {
      // Unbracketed: numbers, or the hex bytes of an element that arrived as UN. "(no value
      // available)" and "=UIDName" carry nothing to hide.
      const std::size_t end = std::min(text.find_first_of(" \n", value), text.size());
      out.append(text.substr(start, value - start));
      out += mask(text.substr(value, end - value));
      start = end;
    }
  } else if (text.substr(at).starts_with(kCharsetConverting)) {
    const std::size_t value = at + kCharsetConverting.size();
    const std::size_t eol = endOfLine(text, value);
    const std::string_view line = text.substr(0, eol);
    std::size_t close = line.find(kCodeExtensionsSuffix, value);
    if (close == std::string_view::npos) close = line.rfind('\'');
    if (close == std::string_view::npos || close < value) close = eol;
    out.append(text.substr(start, value - start));
    out += mask(text.substr(value, close - value));
    start = close;
  }
  const std::size_t eol = endOfLine(text, start);
  const std::size_t next = eol == text.size() ? eol : eol + 1;
  out.append(text.substr(start, next - start));
  return next;
}

Level levelOf(oflog::LogLevel level) {
  if (level < oflog::INFO_LOG_LEVEL) return Level::Debug;
  if (level < oflog::WARN_LOG_LEVEL) return Level::Info;
  if (level < oflog::ERROR_LOG_LEVEL) return Level::Warn;
  return Level::Error;
}

OFLogger::LogLevel dcmtkLevelFor(Level level) {
  switch (level) {
    case Level::Debug: return OFLogger::DEBUG_LOG_LEVEL;
    case Level::Info:
    case Level::Warn: return OFLogger::WARN_LOG_LEVEL;
    case Level::Error: return OFLogger::ERROR_LOG_LEVEL;
  }
  return OFLogger::WARN_LOG_LEVEL;
}

// Every oflog event, masked, into log::write. doAppend serialises calls per appender.
class MaskingAppender final : public oflog::Appender {
 public:
  MaskingAppender() { setName(DCMTK_LOG4CPLUS_TEXT("medvqa-masking")); }
  ~MaskingAppender() override { destructorImpl(); }
  void close() override { closed = true; }

 protected:
  void append(const oflog::spi::InternalLoggingEvent& event) override {
    const Level level = levelOf(event.getLogLevel());
    if (!enabled(level)) return;
    const oflog::tstring& logger = event.getLoggerName();
    const oflog::tstring& message = event.getMessage();
    write(level, std::string(logger.c_str(), logger.size()) + ": " +
                     maskIdentifyingValues(std::string_view(message.c_str(), message.size())));
  }
};

}  // namespace

bool isIdentifying(std::uint16_t group, std::uint16_t element) noexcept {
  for (const auto& attribute : kIdentifyingAttributes) {
    if (attribute.group == group && attribute.element == element) return true;
  }
  return false;
}

std::string maskIdentifyingValues(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) at = maskDumpLine(text, at, out);
  return out;
}

void routeDcmtkLogging(Level level) {
  const OFLogger::LogLevel dcmtkLevel = dcmtkLevelFor(level);
  // configure() initialises oflog once; its console appender is then replaced by ours.
  OFLog::configure(dcmtkLevel);
  oflog::Logger root = oflog::Logger::getRoot();
  root.removeAllAppenders();
  root.addAppender(oflog::SharedAppenderPtr(new MaskingAppender));
  root.setLogLevel(dcmtkLevel);
}

}  // namespace medvqa::log
