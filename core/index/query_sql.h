#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "db/sqlite.h"
#include "index/query.h"
#include "index/query_keys.h"

namespace medvqa::index_detail {

// A C-FIND / retrieve identifier translated into SQL. Key values only ever travel as bound
// parameters (`params`, in the order of the '?' placeholders in `sql`), never inside the text.
struct SqlQuery {
  std::string sql;
  std::vector<std::variant<std::string, std::int64_t>> params;

  void bindTo(db::Statement& statement) const;
};

// A matching key: what the index knows about the attribute, and the (UTF-8) value requested.
struct KeyRequest {
  const KeySpec* spec;
  std::string value;
};

// How matching keys are read beyond their own values.
struct MatchContext {
  // Negotiated by the SCU (PS3.4 C.2.2.2.5, C.5.1.1): a DA key and its TM key that are both ranges
  // of the same form ("A-B", "A-" or "-B") are matched as one date-time range.
  bool combinedDateTime = false;
  // Timezone Offset From UTC (0008,0201) of the identifier, in minutes: the offset of DT values
  // that carry none. Unset: the node's local time zone.
  std::optional<int> queryOffsetMinutes;
};

// SELECT of each key's returned expression (column i = returnKeys[i]) over the level's entities,
// constrained by every matching key (universal values add nothing). Throws Error(InvalidArgument)
// naming the key when a value cannot be matched (a malformed date, UID, time or number).
SqlQuery buildFindQuery(QueryLevel level, const std::vector<const KeySpec*>& returnKeys,
                        const std::vector<KeyRequest>& matchKeys, const MatchContext& context = {});

// SELECT of the StoredInstance columns (see stored_instance_rows.h) of every instance below the
// entities the keys select.
SqlQuery buildRetrieveQuery(const std::vector<KeyRequest>& matchKeys);

}  // namespace medvqa::index_detail
