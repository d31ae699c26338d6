#pragma once

#include <string_view>

namespace medvqa {

// The Query/Retrieve information model negotiated for an association (PS3.4 C.6.1 / C.6.2).
enum class QueryModel { PatientRoot, StudyRoot };

// Query/Retrieve Level (0008,0052).
enum class QueryLevel { Patient = 0, Study = 1, Series = 2, Image = 3 };

// What an association negotiated for its C-FINDs (SOP Class Extended Negotiation, PS3.4 C.5.1.1).
struct FindOptions {
  // Combined date-time matching (PS3.4 C.2.2.2.5): a DA key and its TM key (StudyDate/StudyTime,
  // SeriesDate/SeriesTime, ContentDate/ContentTime) that are both ranges of the same form are
  // matched as one date-time range.
  bool combinedDateTimeMatching = false;
};

// Parses a Query/Retrieve Level value ("STUDY", padding allowed) and checks it against the model:
// PATIENT exists only in the Patient Root model. Throws Error(InvalidArgument) otherwise.
QueryLevel parseQueryLevel(std::string_view value, QueryModel model);

const char* toString(QueryLevel level) noexcept;  // "PATIENT", "STUDY", "SERIES", "IMAGE"

// Index::find and Index::instancesFor (declared in index/index.h) are defined in query.cpp.

}  // namespace medvqa
