#include "index/date_time.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "common/civil_date.h"

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

bool isLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

// One end of a DT span as calendar fields, before any time zone is applied.
struct DtFields {
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::string fraction;  // six digits
};

// "YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]]" without its offset suffix.
struct DtText {
  std::string whole;
  std::string fraction;
  bool hasFraction = false;
};

std::optional<DtText> splitDtText(std::string_view value) {
  const std::size_t dot = value.find('.');
  DtText text{std::string(value.substr(0, dot)), "", dot != std::string_view::npos};
  if (text.hasFraction) text.fraction = std::string(value.substr(dot + 1));
  const std::size_t n = text.whole.size();
  if (n < 4 || n > 14 || n % 2 != 0 || !allDigits(text.whole)) return std::nullopt;
  if (text.hasFraction && (n != 14 || text.fraction.empty() || text.fraction.size() > 6 ||
                           !allDigits(text.fraction))) {
    return std::nullopt;
  }
  return text;
}

// The first (`last` false) or last instant the text stands for; nullopt when a field is out of
// range. Missing fields span their whole range, a given fraction its remaining digits.
std::optional<DtFields> spanEnd(const DtText& t, bool last) {
  const std::size_t n = t.whole.size();
  const auto field = [&](std::size_t pos, int lo, int hi) {
    return n > pos ? twoDigits(t.whole, pos) : (last ? hi : lo);
  };
  DtFields f;
  f.year = std::stoi(t.whole.substr(0, 4));
  f.month = field(4, 1, 12);
  if (f.month < 1 || f.month > 12) return std::nullopt;
  f.day = field(6, 1, daysInMonth(f.year, f.month));
  f.hour = field(8, 0, 23);
  f.minute = field(10, 0, 59);
  f.second = field(12, 0, 59);
  if (f.day < 1 || f.day > daysInMonth(f.year, f.month) || f.hour > 23 || f.minute > 59 || f.second > 60) {
    return std::nullopt;  // a second of 60 is a leap second
  }
  f.fraction = t.fraction + std::string(6 - t.fraction.size(), last ? '9' : '0');
  return f;
}

// Seconds since the epoch of the fields read in UTC+offset, or (no offset known) in the node's
// local time zone, which is what a device without a time zone setting means.
std::int64_t epochSeconds(const DtFields& f, std::optional<int> offsetMinutes) {
  if (!offsetMinutes) {
    std::tm local{};
    local.tm_year = f.year - 1900;
    local.tm_mon = f.month - 1;
    local.tm_mday = f.day;
    local.tm_hour = f.hour;
    local.tm_min = f.minute;
    local.tm_sec = f.second;
    local.tm_isdst = -1;  // let the zone's rules say whether daylight saving applies
    return static_cast<std::int64_t>(std::mktime(&local));
  }
  const std::int64_t days = daysFromCivil({f.year, f.month, f.day});
  return days * 86400 + f.hour * 3600 + f.minute * 60 + f.second - std::int64_t{*offsetMinutes} * 60;
}

// "YYYYMMDDHHMMSS.FFFFFF" in UTC, clamped to the years DT can write (0000-9999).
std::string formatUtc(std::int64_t seconds, const std::string& fraction) {
  constexpr std::int64_t kFirst = -62167219200;  // 0000-01-01T00:00:00Z
  constexpr std::int64_t kLast = 253402300799;   // 9999-12-31T23:59:59Z
  if (seconds < kFirst) return "00000101000000.000000";
  if (seconds > kLast) return "99991231235959.999999";
  const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const std::int64_t ofDay = seconds - days * 86400;
  const CivilDate date = civilFromDays(days);
  char text[48];  // 22 needed; room for what -Wformat-truncation cannot rule out
  std::snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02d.", static_cast<int>(date.year), date.month, date.day,
                static_cast<int>(ofDay / 3600), static_cast<int>(ofDay / 60 % 60), static_cast<int>(ofDay % 60));
  return text + fraction;
}

}  // namespace

std::optional<int> utcOffsetMinutes(std::string_view value) {
  value = trimSpaces(value);
  if (value.size() != 5 || (value[0] != '+' && value[0] != '-') || !allDigits(value.substr(1))) {
    return std::nullopt;
  }
  const int hours = twoDigits(value, 1);
  const int minutes = twoDigits(value, 3);
  const int total = (hours * 60 + minutes) * (value[0] == '-' ? -1 : 1);
  if (minutes > 59 || total < -12 * 60 || total > 14 * 60) return std::nullopt;
  return total;
}

std::optional<DateTimeSpan> dateTimeSpan(std::string_view value,
                                         std::optional<int> defaultOffsetMinutes) {
  value = trimSpaces(value);
  std::optional<int> offset = defaultOffsetMinutes;
  if (value.size() > 5 && (value[value.size() - 5] == '+' || value[value.size() - 5] == '-')) {
    offset = utcOffsetMinutes(value.substr(value.size() - 5));
    if (!offset) return std::nullopt;
    value.remove_suffix(5);
  }
  const auto text = splitDtText(value);
  if (!text) return std::nullopt;
  const auto first = spanEnd(*text, false);
  const auto last = spanEnd(*text, true);
  if (!first || !last) return std::nullopt;
  return DateTimeSpan{formatUtc(epochSeconds(*first, offset), first->fraction),
                      formatUtc(epochSeconds(*last, offset), last->fraction)};
}

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
