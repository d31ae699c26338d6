// C-FIND matching (PS3.4 C.2.2.2) and C-GET/C-MOVE resolution over the index.

#include "index/query.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <memory>

#include "common/error.h"
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
// mean nothing once the identifier is re-encoded, and the two attributes find() handles itself.
bool isKey(const DcmTagKey& tag) {
  return tag.getElement() != 0x0000 && tag.getGroup() >= 0x0008 &&
         tag != DCM_SpecificCharacterSet && tag != DCM_QueryRetrieveLevel;
}

std::string valueOf(DcmElement& element) {
  OFString value;
  element.getOFStringArray(value);  // all values, backslash separated, padding removed
  return value.c_str();
}

// What one C-FIND asks for: which keys the index returns (with the SQL column of each), and
// which requested elements it returns zero-length.
struct FindPlan {
  QueryLevel level = QueryLevel::Study;
  std::vector<const KeySpec*> returned;
  std::vector<KeyRequest> matching;
  // Zero-length copies of the requested elements the index does not hold at this level: unknown
  // or private attributes, keys of a lower level, and sequences. Sequence Matching is not
  // supported because the index stores no sequence attributes; such keys are returned empty (no
  // value known), as for any optional key an SCP does not support, instead of failing the query
  // (a sequence key is then not a filter: the SCU may get more matches than it asked for).
  std::vector<std::unique_ptr<DcmElement>> empty;
};

FindPlan planFind(DcmDataset& identifier, QueryModel model) {
  FindPlan plan;
  plan.level = levelOf(identifier, model);
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
      continue;
    }
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
                 const std::function<bool(DcmDataset& match)>& onMatch) const {
  const auto utf8 = utf8Copy(identifier);
  const FindPlan plan = planFind(*utf8, model);
  const auto query = index_detail::buildFindQuery(plan.level, plan.returned, plan.matching);
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
