#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace medvqa::index_detail {

// DA and TM values in forms that compare correctly as plain strings, so date and time range
// matching becomes an indexed BETWEEN in sqlite.

// "YYYYMMDD" from a DA value ("20240131", or the pre-1993 "2024.01.31"); nullopt when it is not a
// plausible date.
std::optional<std::string> normalizeDate(std::string_view value);

// The span of times a TM value stands for, as fixed-width "HHMMSS.FFFFFF" strings: a TM value
// may stop after hours, minutes, seconds or any fraction digit, and then means the whole hour,
// minute, second... ("1030" -> first "103000.000000", last "103059.999999"). The legacy form
// "10:30:15" is accepted. nullopt when the value is not a time.
struct TimeSpan {
  std::string first;
  std::string last;
};
std::optional<TimeSpan> timeSpan(std::string_view value);

// The comparable form stored in the index for a TM value: the start of its span.
std::optional<std::string> normalizeTime(std::string_view value);

// A UTC offset "+HHMM" / "-HHMM" (the suffix of a DT value, or Timezone Offset From UTC
// (0008,0201)) in minutes east of UTC; nullopt when malformed or outside -12:00..+14:00.
std::optional<int> utcOffsetMinutes(std::string_view value);

// The span of instants a DT value stands for, in UTC, as fixed-width "YYYYMMDDHHMMSS.FFFFFF"
// strings. A DT value may stop after the year, month, day, hour, minute, second or any fraction
// digit and then means the whole year, month... ("202401" -> 2024-01-01 00:00 to 2024-01-31
// 23:59:59.999999). PS3.4 C.2.2.2.5 has the offset of a value taken into account: its own
// "&ZZXX" suffix when it has one, else `defaultOffsetMinutes` (the Timezone Offset From UTC of its
// data set or query), else the node's local time zone. nullopt when the value is not a DT.
struct DateTimeSpan {
  std::string first;
  std::string last;
};
std::optional<DateTimeSpan> dateTimeSpan(std::string_view value,
                                         std::optional<int> defaultOffsetMinutes);

}  // namespace medvqa::index_detail
