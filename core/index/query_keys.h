#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctagkey.h>

#include "index/query.h"

namespace medvqa::index_detail {

// How a key's value is matched (PS3.4 C.2.2.2) and which sqlite column holds it.
enum class MatchKind {
  Uid,                // single UID or list of UIDs
  Text,               // single value or wildcard, case-sensitive
  Code,               // CS: single value, wildcard, or a backslash list (any of)
  PersonName,         // single value or wildcard, case-insensitive on the *_upper column
  Date,               // DA: single date or range
  Time,               // TM: single time or range, on the fixed-width *_time_norm column
  DateTime,           // DT: single value or range, on the UTC *_datetime_norm column
  Integer,            // IS: single value
  Count,              // a maintained counter: return key only, never matched
  ModalitiesInStudy,  // matched against the study's series, returned from studies.modalities
};

struct KeySpec {
  DcmTagKey tag;
  QueryLevel level;  // the level the attribute belongs to
  MatchKind kind;
  const char* keyword;   // for error messages
  const char* returned;  // SQL expression returned in responses
  const char* matched;   // SQL column matched against
};

// The key the index supports for `tag`, or nullptr when it does not (then the key is returned
// zero-length).
const KeySpec* findKey(const DcmTagKey& tag);

// The unique key of a level: PatientID, StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID.
const KeySpec& uniqueKey(QueryLevel level);

// The TM key that forms a date-time with a DA key (StudyDate -> StudyTime, SeriesDate ->
// SeriesTime, ContentDate -> ContentTime), for combined date-time matching; nullptr otherwise.
const KeySpec* pairedTimeKey(const KeySpec& dateKey);

}  // namespace medvqa::index_detail
