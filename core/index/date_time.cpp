#include "index/date_time.h"

#include <cctype>

namespace medvqa::index_detail {
namespace {

bool allDigits(std::string_view s) {
  for (const char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int twoDigits(std::string_view s, std::size_t pos) {
  return (s[pos] - '0') * 10 + (s[pos + 1] - '0');
}

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> normalizeDate(std::string_view value) {
  value = trimSpaces(value);
  std::string digits;
  if (value.size() == 10 && value[4] == '.' && value[7] == '.') {
    digits = std::string(value.substr(0, 4)) + std::string(value.substr(5, 2)) +
             std::string(value.substr(8, 2));
  } else {
    digits = std::string(value);
  }
  if (digits.size() != 8 || !allDigits(digits)) return std::nullopt;
  const int month = twoDigits(digits, 4);
  const int day = twoDigits(digits, 6);
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  return digits;
}

std::optional<TimeSpan> timeSpan(std::string_view value) {
  value = trimSpaces(value);
  std::string compact;  // HHMMSS[.F...] without the legacy colons
  for (const char c : value) {
    if (c != ':') compact += c;
  }
  const std::size_t dot = compact.find('.');
  const std::string whole = compact.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : compact.substr(dot + 1);
  if (whole.empty() || whole.size() > 6 || whole.size() % 2 != 0 || !allDigits(whole)) {
    return std::nullopt;
  }
  const bool hasFraction = dot != std::string::npos;
  if (fraction.size() > 6 || !allDigits(fraction) || (hasFraction && whole.size() != 6)) {
    return std::nullopt;
  }
  // Seconds may be 60 (a leap second); hours and minutes follow the clock.
  const int limits[] = {23, 59, 60};
  for (std::size_t i = 0; i < whole.size(); i += 2) {
    if (twoDigits(whole, i) > limits[i / 2]) return std::nullopt;
  }
  // What the value leaves out spans from all zeros to the largest value of each field.
  const std::string padFirst = std::string("000000").substr(whole.size());
  const std::string padLast = std::string("005959").substr(whole.size());
  TimeSpan span;
  span.first = whole + padFirst + "." + fraction + std::string(6 - fraction.size(), '0');
  span.last = whole + padLast + "." + fraction + std::string(6 - fraction.size(), '9');
  return span;
}

std::optional<std::string> normalizeTime(std::string_view value) {
  if (auto span = timeSpan(value)) return span->first;
  return std::nullopt;
}

}  // namespace medvqa::index_detail
