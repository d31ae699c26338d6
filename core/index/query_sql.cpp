#include "index/query_sql.h"

#include <charconv>
#include <optional>

#include "common/error.h"
#include "dicom/uid.h"
#include "index/date_time.h"
#include "index/stored_instance_rows.h"
#include "index/text_match.h"

namespace medvqa::index_detail {
namespace {

// The entities of each level joined to the levels above, so keys of any level at or above the
// query level can be matched and returned. Aliases: p, st, se, i (as in query_keys.cpp).
constexpr const char* kFrom[] = {
    "patients p",
    "studies st JOIN patients p ON p.id = st.patient_fk",
    "series se JOIN studies st ON st.id = se.study_fk JOIN patients p ON p.id = st.patient_fk",
    "instances i JOIN series se ON se.id = i.series_fk JOIN studies st ON st.id = se.study_fk "
    "JOIN patients p ON p.id = st.patient_fk",
};

// Error messages name the key but never repeat its value, which may identify a patient.
[[noreturn]] void invalid(const KeySpec& key, std::string_view why) {
  throw Error(ErrorCode::InvalidArgument, std::string(key.keyword) + ": " + std::string(why));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string placeholders(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

std::string equalsAny(const std::string& column, const std::vector<std::string>& values,
                      SqlQuery& q) {
  for (const auto& v : values) q.params.emplace_back(v);
  if (values.size() == 1) return column + " = ?";
  return column + " IN (" + placeholders(values.size()) + ")";
}

// Single Value Matching, or Wild Card Matching when the value holds '*' or '?'.
std::string singleOrWildcard(const std::string& column, const std::string& value, SqlQuery& q) {
  if (hasWildcard(value)) {
    q.params.emplace_back(wildcardToGlob(value));
    return column + " GLOB ?";
  }
  q.params.emplace_back(value);
  return column + " = ?";
}

// Any of several values, each exact or wildcard; empty list items are ignored. nullopt when no
// value is left (universal matching).
std::optional<std::string> anyOf(const std::string& column, std::string_view value, SqlQuery& q) {
  std::vector<std::string> exact;
  std::vector<std::string> patterns;
  for (auto& v : splitValues(value)) {
    const std::string_view trimmed = trim(v);
    if (trimmed.empty()) continue;
    if (trimmed == "*") return std::nullopt;  // one universal value matches everything
    (hasWildcard(trimmed) ? patterns : exact).emplace_back(trimmed);
  }
  std::vector<std::string> alternatives;
  if (!exact.empty()) alternatives.push_back(equalsAny(column, exact, q));
  for (const auto& p : patterns) alternatives.push_back(singleOrWildcard(column, p, q));
  if (alternatives.empty()) return std::nullopt;
  if (alternatives.size() == 1) return alternatives.front();
  std::string out = "(";
  for (std::size_t i = 0; i < alternatives.size(); ++i) {
    out += (i == 0 ? "" : " OR ") + alternatives[i];
  }
  return out + ")";
}

// Single UID or List of UID Matching (PS3.4 C.2.2.2.2).
std::string uidCondition(const KeySpec& key, std::string_view value, SqlQuery& q) {
  std::vector<std::string> uids;
  for (const auto& v : splitValues(value)) {
    auto uid = dicom::normalizeUid(trim(v));
    if (!uid) invalid(key, "'" + v + "' is not a UID");  // UIDs identify no one
    uids.push_back(*uid);
  }
  return equalsAny(key.matched, uids, q);
}

// "A-B", "A-", "-B": an inclusive range, open at a missing end.
struct Range {
  std::string_view low;
  std::string_view high;
  bool isRange = false;
};

Range splitRange(std::string_view value) {
  const std::size_t dash = value.find('-');
  if (dash == std::string_view::npos) return Range{value, value, false};
  return Range{trim(value.substr(0, dash)), trim(value.substr(dash + 1)), true};
}

std::string rangeCondition(const std::string& column, const std::optional<std::string>& low,
                           const std::optional<std::string>& high, SqlQuery& q) {
  if (low && high) {
    q.params.emplace_back(*low);
    q.params.emplace_back(*high);
    return column + " BETWEEN ? AND ?";
  }
  q.params.emplace_back(low ? *low : *high);
  return column + (low ? " >= ?" : " <= ?");
}

// Single date or Range Matching of DA (PS3.4 C.2.2.2.5); stored dates are YYYYMMDD.
std::optional<std::string> dateCondition(const KeySpec& key, std::string_view value, SqlQuery& q) {
  const auto date = [&](std::string_view v) -> std::optional<std::string> {
    if (v.empty()) return std::nullopt;
    auto d = normalizeDate(v);
    if (!d) invalid(key, "value is not a date (YYYYMMDD) or a date range (A-B, A-, -B)");
    return d;
  };
  const Range range = splitRange(value);
  if (!range.isRange) return equalsAny(key.matched, {*date(value)}, q);
  const auto low = date(range.low);
  const auto high = date(range.high);
  if (!low && !high) return std::nullopt;  // "-": every date
  return rangeCondition(key.matched, low, high, q);
}

// Single time or Range Matching of TM. A time stands for the whole span its precision leaves
// open, so "1030" matches 10:30:00 to 10:30:59.999999 and "-1030" includes that minute.
std::optional<std::string> timeCondition(const KeySpec& key, std::string_view value, SqlQuery& q) {
  const auto span = [&](std::string_view v) -> std::optional<TimeSpan> {
    if (v.empty()) return std::nullopt;
    auto s = timeSpan(v);
    if (!s) invalid(key, "value is not a time (HH[MM[SS[.F]]]) or a time range (A-B, A-, -B)");
    return s;
  };
  const Range range = splitRange(value);
  const auto low = span(range.low);
  const auto high = range.isRange ? span(range.high) : low;
  if (!low && !high) return std::nullopt;
  return rangeCondition(key.matched, low ? std::optional(low->first) : std::nullopt,
                        high ? std::optional(high->last) : std::nullopt, q);
}

// A DT range's '-' cannot be found by position alone: a UTC offset may be negative too
// ("20240101-0500" is one value). The value is one DT when it reads as one, else it is split at the
// one '-' that leaves a DT (or nothing) on each side.
Range splitDateTimeRange(const KeySpec& key, std::string_view value) {
  const auto isDateTime = [](std::string_view v) { return dateTimeSpan(v, 0).has_value(); };
  if (isDateTime(value)) return Range{value, value, false};
  std::optional<Range> found;
  for (std::size_t dash = value.find('-'); dash != std::string_view::npos; dash = value.find('-', dash + 1)) {
    const std::string_view low = trim(value.substr(0, dash));
    const std::string_view high = trim(value.substr(dash + 1));
    if ((!low.empty() && !isDateTime(low)) || (!high.empty() && !isDateTime(high))) continue;
    if (found) invalid(key, "ambiguous date-time range: it splits into two date-times at more than one '-'");
    found = Range{low, high, true};
  }
  if (!found) {
    invalid(key, "value is not a date-time (YYYY[MM[DD[HH[MM[SS[.F]]]]]][+/-ZZXX]) or a range of them (A-B, A-, -B)");
  }
  return *found;
}

// Single value or Range Matching of DT (PS3.4 C.2.2.2.5). Both sides are compared in UTC, so a
// value's offset is taken into account; a value stands for the whole span its precision leaves
// open ("202401" is all of January).
std::optional<std::string> dateTimeCondition(const KeySpec& key, std::string_view value,
                                             std::optional<int> queryOffset, SqlQuery& q) {
  const Range range = splitDateTimeRange(key, value);
  const auto span = [&](std::string_view v) -> std::optional<DateTimeSpan> {
    if (v.empty()) return std::nullopt;
    return dateTimeSpan(v, queryOffset);  // valid: splitDateTimeRange checked it
  };
  const auto low = span(range.low);
  const auto high = range.isRange ? span(range.high) : low;
  if (!low && !high) return std::nullopt;  // "-": every date-time
  return rangeCondition(key.matched, low ? std::optional(low->first) : std::nullopt,
                        high ? std::optional(high->last) : std::nullopt, q);
}

std::string integerCondition(const KeySpec& key, std::string_view value, SqlQuery& q) {
  value = trim(value);
  if (!value.empty() && value.front() == '+') value.remove_prefix(1);
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size()) {
    invalid(key, "value is not an integer");
  }
  q.params.emplace_back(number);
  return std::string(key.matched) + " = ?";
}

// A study matches when any of its series has one of the requested modalities.
std::optional<std::string> modalitiesCondition(std::string_view value, SqlQuery& q) {
  auto any = anyOf("ms.modality", value, q);
  if (!any) return std::nullopt;
  return "EXISTS (SELECT 1 FROM series ms WHERE ms.study_fk = st.id AND " + *any + ")";
}

// The SQL condition for one matching key; nullopt for Universal Matching.
std::optional<std::string> condition(const KeyRequest& request, const MatchContext& context, SqlQuery& q) {
  const KeySpec& key = *request.spec;
  const std::string_view value = trim(request.value);
  if (value.empty() || value == "*") return std::nullopt;  // Universal Matching
  const std::string column = key.matched != nullptr ? key.matched : "";
  // Empty Value Matching (two QUOTATION MARKs): entities without a value. Absent values are
  // NULL, except PatientID and its issuer, which are part of the patient key and stored as ''.
  if (value == "\"\"" && key.kind != MatchKind::Count && key.kind != MatchKind::Uid &&
      key.kind != MatchKind::ModalitiesInStudy) {
    return "(" + column + " IS NULL OR " + column + " = '')";
  }
  switch (key.kind) {
    case MatchKind::Uid: return uidCondition(key, value, q);
    case MatchKind::Text: return singleOrWildcard(column, std::string(value), q);
    case MatchKind::Code: return anyOf(column, value, q);
    case MatchKind::PersonName:
      return singleOrWildcard(column, toUpperUtf8(normalizePersonName(value)), q);
    case MatchKind::Date: return dateCondition(key, value, q);
    case MatchKind::Time: return timeCondition(key, value, q);
    case MatchKind::DateTime: return dateTimeCondition(key, value, context.queryOffsetMinutes, q);
    case MatchKind::Integer: return integerCondition(key, value, q);
    case MatchKind::ModalitiesInStudy: return modalitiesCondition(value, q);
    case MatchKind::Count: return std::nullopt;  // return keys only: never matched
  }
  return std::nullopt;
}

// --- Combined date-time matching (PS3.4 C.2.2.2.5) ---

// Which ends of a range a DA or TM value gives; None when it is no range (or "-", every value).
enum class RangeForm { None, Closed, From, To };

RangeForm formOf(std::string_view value) {
  const Range range = splitRange(trim(value));
  if (!range.isRange || (range.low.empty() && range.high.empty())) return RangeForm::None;
  if (range.low.empty()) return RangeForm::To;
  return range.high.empty() ? RangeForm::From : RangeForm::Closed;
}

// One end of the combined range: the date followed by the first (low) or last (high) instant of
// the time, in the stored "YYYYMMDD" + "HHMMSS.FFFFFF" form.
std::optional<std::string> combinedEnd(const KeySpec& dateKey, std::string_view date, const KeySpec& timeKey,
                                       std::string_view time, bool high) {
  if (date.empty()) return std::nullopt;
  const auto d = normalizeDate(date);
  if (!d) invalid(dateKey, "value is not a date (YYYYMMDD) or a date range (A-B, A-, -B)");
  const auto t = timeSpan(time);
  if (!t) invalid(timeKey, "value is not a time (HH[MM[SS[.F]]]) or a time range (A-B, A-, -B)");
  return *d + (high ? t->last : t->first);
}

// "20060705-20060707" with "1000-1800" is the time from July 5, 10:00 to July 7, 18:00, not
// 10:00 to 18:00 on each of the three days. Entities without a time never match (as with a TM
// range alone). The date range is repeated on its own so that sqlite can use the date index.
std::string combinedCondition(const KeyRequest& date, const KeyRequest& time, SqlQuery& q) {
  const KeySpec& dateKey = *date.spec;
  const KeySpec& timeKey = *time.spec;
  const Range dates = splitRange(trim(date.value));
  const Range times = splitRange(trim(time.value));
  const auto low = combinedEnd(dateKey, dates.low, timeKey, times.low, false);
  const auto high = combinedEnd(dateKey, dates.high, timeKey, times.high, true);
  const std::string both = std::string("(") + dateKey.matched + " || " + timeKey.matched + ")";
  std::string sql = rangeCondition(both, low, high, q) + " AND ";
  return sql + rangeCondition(dateKey.matched, low ? std::optional(low->substr(0, 8)) : std::nullopt,
                              high ? std::optional(high->substr(0, 8)) : std::nullopt, q);
}

// Adds the combined conditions of every DA/TM pair that qualifies and marks both keys used.
void addCombinedDateTime(const std::vector<KeyRequest>& keys, std::vector<bool>& used,
                         std::vector<std::string>& conditions, SqlQuery& q) {
  for (std::size_t d = 0; d < keys.size(); ++d) {
    const KeySpec* timeKey = pairedTimeKey(*keys[d].spec);
    if (timeKey == nullptr || used[d]) continue;
    for (std::size_t t = 0; t < keys.size(); ++t) {
      if (keys[t].spec != timeKey || used[t]) continue;
      const RangeForm form = formOf(keys[d].value);
      if (form == RangeForm::None || form != formOf(keys[t].value)) continue;
      conditions.push_back(combinedCondition(keys[d], keys[t], q));
      used[d] = used[t] = true;
    }
  }
}

std::string whereClause(const std::vector<std::string>& conditions) {
  std::string out;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    out += (i == 0 ? " WHERE " : " AND ") + conditions[i];
  }
  return out;
}

}  // namespace

void SqlQuery::bindTo(db::Statement& statement) const {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* text = std::get_if<std::string>(&params[i])) {
      statement.bindText(index, *text);
    } else {
      statement.bindInt64(index, std::get<std::int64_t>(params[i]));
    }
  }
}

SqlQuery buildFindQuery(QueryLevel level, const std::vector<const KeySpec*>& returnKeys,
                        const std::vector<KeyRequest>& matchKeys, const MatchContext& context) {
  SqlQuery q;
  std::vector<std::string> conditions;
  std::vector<bool> used(matchKeys.size(), false);
  // Parameters are bound in the order conditions are written: combined ones first, then the rest.
  if (context.combinedDateTime) addCombinedDateTime(matchKeys, used, conditions, q);
  for (std::size_t i = 0; i < matchKeys.size(); ++i) {
    if (used[i]) continue;
    if (auto c = condition(matchKeys[i], context, q)) conditions.push_back(std::move(*c));
  }
  std::string columns;
  for (const KeySpec* key : returnKeys) {
    columns += (columns.empty() ? "" : ", ") + std::string(key->returned);
  }
  // No ORDER BY: sorting would make sqlite read every match before returning the first, and
  // C-FIND defines no order. Responses stream as rows are found.
  q.sql = "SELECT " + (columns.empty() ? std::string("1") : columns) + " FROM " +
          kFrom[static_cast<int>(level)] + whereClause(conditions);
  return q;
}

SqlQuery buildRetrieveQuery(const std::vector<KeyRequest>& matchKeys) {
  SqlQuery q;
  std::vector<std::string> conditions;
  for (const KeyRequest& request : matchKeys) {
    const KeySpec& key = *request.spec;
    if (key.kind == MatchKind::Uid) {
      conditions.push_back(uidCondition(key, trim(request.value), q));
      continue;
    }
    // PatientID: exact values only; a unique key is never a pattern.
    std::vector<std::string> values;
    for (const auto& v : splitValues(request.value)) values.emplace_back(trim(v));
    conditions.push_back(equalsAny(key.matched, values, q));
  }
  // Sorted so a C-GET/C-MOVE sends a study series by series, in instance order.
  q.sql = std::string("SELECT ") + kStoredInstanceColumns + " FROM " +
          kFrom[static_cast<int>(QueryLevel::Image)] + whereClause(conditions) +
          " ORDER BY st.id, se.series_number, se.id, i.instance_number, i.id";
  return q;
}

}  // namespace medvqa::index_detail
