// C-FIND matching (PS3.4 C.2.2.2) and C-GET/C-MOVE resolution over the index.

#include "index/query.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <memory>
#include <optional>
#include <string_view>

#include "common/error.h"
#include "index/date_time.h"
#include "index/index.h"
#include "index/query_keys.h"
#include "index/query_sql.h"
#include "index/stored_instance_rows.h"

namespace medvqa {
namespace {

using index_detail::KeyRequest;
using index_detail::KeySpec;

std::string_view trimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The identifier in UTF-8, the index's character set, so keys compare byte for byte with what
// is stored. Converted on a copy: the caller's identifier stays as received.
std::unique_ptr<DcmDataset> utf8Copy(const DcmDataset& identifier) {
  auto copy = std::make_unique<DcmDataset>(identifier);
  OFString charset;
  if (copy->findAndGetOFStringArray(DCM_SpecificCharacterSet, charset).bad() || charset.empty()) {
    return copy;  // default repertoire (ASCII) is already UTF-8
  }
  const OFCondition status = copy->convertToUTF8();
  if (status.bad()) {
    throw Error(ErrorCode::InvalidArgument, std::string("cannot convert the identifier from ") +
                                                "Specific Character Set '" + charset.c_str() +
                                                "' to UTF-8: " + status.text());
  }
  return copy;
}

QueryLevel levelOf(DcmDataset& identifier, QueryModel model) {
  OFString value;
  if (identifier.findAndGetOFString(DCM_QueryRetrieveLevel, value).bad()) {
    throw Error(ErrorCode::InvalidArgument, "identifier has no Query/Retrieve Level (0008,0052)");
  }
  return parseQueryLevel(value.c_str(), model);
}

// Elements that are never keys: group lengths (gggg,0000), which some SCUs still send and which
// mean nothing once the identifier is re-encoded, and the attributes that say how to read the
// keys (character set, level, the time zone of date-time values), which find() handles itself.
bool isKey(const DcmTagKey& tag) {
  return tag.getElement() != 0x0000 && tag.getGroup() >= 0x0008 && tag != DCM_SpecificCharacterSet &&
         tag != DCM_QueryRetrieveLevel && tag != DCM_TimezoneOffsetFromUTC;
}

std::string valueOf(DcmElement& element) {
  OFString value;
  element.getOFStringArray(value);  // all values, backslash separated, padding removed
  return value.c_str();
}

// Whether an element asks for matching rather than just for its value: anything but Universal
// Matching ("" or "*"). A sequence asks when an element of one of its items does; a sequence with
// an empty item (or none) is the universal match of PS3.4 C.2.2.2.6.
bool asksForMatching(DcmElement& element) {
  if (element.ident() != EVR_SQ) {
    const std::string text = valueOf(element);
    const std::string_view value = trimSpaces(text);
    return !value.empty() && value != "*";
  }
  auto& sequence = static_cast<DcmSequenceOfItems&>(element);
  for (unsigned long i = 0; i < sequence.card(); ++i) {
    DcmItem* item = sequence.getItem(i);
    for (unsigned long n = 0; item != nullptr && n < item->card(); ++n) {
      DcmElement* inner = item->getElement(n);
      if (inner->getTag().getElement() != 0x0000 && asksForMatching(*inner)) return true;
    }
  }
  return false;
}

// "ProcedureCodeSequence (0008,1032)": how logs and the caller name a key.
std::string keyName(const DcmTagKey& tag) {
  DcmTag named(tag);
  return std::string(named.getTagName()) + " " + tag.toString().c_str();
}

// The Timezone Offset From UTC (0008,0201) of the identifier, in minutes; nullopt when absent.
std::optional<int> queryOffsetOf(DcmDataset& identifier) {
  OFString value;
  if (identifier.findAndGetOFString(DCM_TimezoneOffsetFromUTC, value).bad() || value.empty()) return std::nullopt;
  const auto minutes = index_detail::utcOffsetMinutes(value.c_str());
  if (!minutes) {
    throw Error(ErrorCode::InvalidArgument, "TimezoneOffsetFromUTC is not an offset (+HHMM or -HHMM)");
  }
  return minutes;
}

// What one C-FIND asks for: which keys the index returns (with the SQL column of each), and
// which requested elements it returns zero-length.
struct FindPlan {
  QueryLevel level = QueryLevel::Study;
  index_detail::MatchContext context;
  std::vector<const KeySpec*> returned;
  std::vector<KeyRequest> matching;
  // Zero-length copies of the requested elements the index does not hold at this level: unknown
  // or private attributes, keys of a lower level, and sequences (the index stores no sequence
  // attribute, so none is supported for Sequence Matching). They are returned empty, no value
  // known, as an SCP may for an optional key it does not match on (PS3.4 C.2.2.1.3).
  std::vector<std::unique_ptr<DcmElement>> empty;
  // The keys among those whose values asked for matching: ignored, never a filter (the SCU may
  // get more matches than it asked for, and is told so with Pending FF01).
  std::vector<std::string> ignored;
};

FindPlan planFind(DcmDataset& identifier, QueryModel model, const FindOptions& options) {
  FindPlan plan;
  plan.level = levelOf(identifier, model);
  plan.context.combinedDateTime = options.combinedDateTimeMatching;
  plan.context.queryOffsetMinutes = queryOffsetOf(identifier);
  for (unsigned long n = 0; n < identifier.card(); ++n) {
    DcmElement* element = identifier.getElement(n);
    const DcmTagKey tag = element->getTag();
    if (!isKey(tag)) continue;
    const KeySpec* key = index_detail::findKey(tag);
    // Keys above the query level match the entities above (hierarchical unique keys, or the
    // relational use of e.g. PatientID in a STUDY query); keys below it are unanswerable.
    if (key != nullptr && key->level <= plan.level && element->ident() != EVR_SQ) {
      plan.returned.push_back(key);
      plan.matching.push_back(KeyRequest{key, valueOf(*element)});
      // Counters are return keys only: a value is not matched.
      if (key->kind == index_detail::MatchKind::Count && asksForMatching(*element)) {
        plan.ignored.push_back(keyName(tag));
      }
      continue;
    }
    if (asksForMatching(*element)) plan.ignored.push_back(keyName(tag));
    std::unique_ptr<DcmElement> blank(static_cast<DcmElement*>(element->clone()));
    blank->clear();
    plan.empty.push_back(std::move(blank));
  }
  return plan;
}

DcmDataset responseFor(const FindPlan& plan, const db::Statement& row) {
  DcmDataset response;
  response.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
  response.putAndInsertString(DCM_QueryRetrieveLevel, toString(plan.level));
  for (std::size_t column = 0; column < plan.returned.size(); ++column) {
    const std::string value = row.columnText(static_cast<int>(column));
    response.putAndInsertString(plan.returned[column]->tag, value.c_str());
  }
  for (const auto& blank : plan.empty) {
    response.insert(static_cast<DcmElement*>(blank->clone()), OFTrue);
  }
  return response;
}

// The unique keys of `level` and the levels above that the identifier carries with a value. The
// level's own unique key is required.
std::vector<KeyRequest> uniqueKeys(DcmDataset& identifier, QueryModel model, QueryLevel level) {
  std::vector<KeyRequest> keys;
  const int first = model == QueryModel::PatientRoot ? 0 : 1;
  for (int l = first; l <= static_cast<int>(level); ++l) {
    const KeySpec& key = index_detail::uniqueKey(static_cast<QueryLevel>(l));
    OFString value;
    identifier.findAndGetOFStringArray(key.tag, value);
    if (!trimSpaces(value.c_str()).empty()) {
      keys.push_back(KeyRequest{&key, value.c_str()});
    } else if (l == static_cast<int>(level)) {
      throw Error(ErrorCode::InvalidArgument,
                  std::string("a retrieve at ") + toString(level) + " level needs " + key.keyword);
    }
  }
  // A patient is PatientID + IssuerOfPatientID: with an issuer given, the same ID from another
  // issuer (another hospital's patient) is not sent.
  OFString issuer;
  identifier.findAndGetOFStringArray(DCM_IssuerOfPatientID, issuer);
  if (model == QueryModel::PatientRoot && !trimSpaces(issuer.c_str()).empty()) {
    keys.push_back(KeyRequest{index_detail::findKey(DCM_IssuerOfPatientID), issuer.c_str()});
  }
  return keys;
}

}  // namespace

QueryLevel parseQueryLevel(std::string_view value, QueryModel model) {
  value = trimSpaces(value);
  QueryLevel level;
  if (value == "PATIENT") {
    level = QueryLevel::Patient;
  } else if (value == "STUDY") {
    level = QueryLevel::Study;
  } else if (value == "SERIES") {
    level = QueryLevel::Series;
  } else if (value == "IMAGE") {
    level = QueryLevel::Image;
  } else {
    throw Error(ErrorCode::InvalidArgument, "Query/Retrieve Level '" + std::string(value) +
                                                "' is not PATIENT, STUDY, SERIES or IMAGE");
  }
  if (level == QueryLevel::Patient && model == QueryModel::StudyRoot) {
    throw Error(ErrorCode::InvalidArgument,
                "Query/Retrieve Level PATIENT does not exist in the Study Root model");
  }
  return level;
}

const char* toString(QueryLevel level) noexcept {
  switch (level) {
    case QueryLevel::Patient: return "PATIENT";
    case QueryLevel::Study: return "STUDY";
    case QueryLevel::Series: return "SERIES";
    case QueryLevel::Image: return "IMAGE";
  }
  return "?";
}

void Index::find(QueryModel model, const DcmDataset& identifier,
                 const std::function<bool(DcmDataset& match)>& onMatch, const FindOptions& options,
                 std::vector<std::string>* ignoredKeys) const {
  const auto utf8 = utf8Copy(identifier);
  const FindPlan plan = planFind(*utf8, model, options);
  const auto query = index_detail::buildFindQuery(plan.level, plan.returned, plan.matching, plan.context);
  if (ignoredKeys != nullptr) *ignoredKeys = plan.ignored;
  auto reader = readers_.acquire();
  auto statement = reader->prepare(query.sql);
  query.bindTo(statement);
  // One row at a time: a cancel (onMatch returning false) stops sqlite where it is.
  while (statement.step()) {
    DcmDataset response = responseFor(plan, statement);
    if (!onMatch(response)) return;
  }
}

std::vector<StoredInstance> Index::instancesFor(QueryModel model,
                                                const DcmDataset& identifier) const {
  const auto utf8 = utf8Copy(identifier);
  const QueryLevel level = levelOf(*utf8, model);
  const auto query = index_detail::buildRetrieveQuery(uniqueKeys(*utf8, model, level));
  auto reader = readers_.acquire();
  auto statement = reader->prepare(query.sql);
  query.bindTo(statement);
  std::vector<StoredInstance> out;
  while (statement.step()) out.push_back(index_detail::readStoredInstance(statement));
  return out;
}

}  // namespace medvqa
