#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace medvqa {

// A proleptic Gregorian calendar date. Plain arithmetic (H. Hinnant's algorithms), so years
// before 1970 and after 2038 need no time_t and no time zone.
struct CivilDate {
  std::int64_t year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
};

// Days since 1970-01-01, and back. Header-only: medvqa-gen uses it without linking the core.
inline std::int64_t daysFromCivil(const CivilDate& date) {
  const std::int64_t y = date.year - (date.month <= 2);
  const int m = date.month;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

inline CivilDate civilFromDays(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  CivilDate date;
  date.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  date.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  date.year = yoe + era * 400 + (date.month <= 2);
  return date;
}

// DICOM DA ("YYYYMMDD") and TM ("HHMMSS", seconds of the day taken modulo one day).
inline std::string dicomDate(const CivilDate& date) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld%02d%02d", static_cast<long long>(date.year), date.month, date.day);
  return buf;
}

inline std::string dicomTime(unsigned secondsOfDay) {
  secondsOfDay %= 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u%02u%02u", secondsOfDay / 3600, secondsOfDay / 60 % 60, secondsOfDay % 60);
  return buf;
}

}  // namespace medvqa
