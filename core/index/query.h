#pragma once

#include <string_view>

namespace medvqa {

// The Query/Retrieve information model negotiated for an association (PS3.4 C.6.1 / C.6.2).
enum class QueryModel { PatientRoot, StudyRoot };

// Query/Retrieve Level (0008,0052).
enum class QueryLevel { Patient = 0, Study = 1, Series = 2, Image = 3 };

// Parses a Query/Retrieve Level value ("STUDY", padding allowed) and checks it against the model:
// PATIENT exists only in the Patient Root model. Throws Error(InvalidArgument) otherwise.
QueryLevel parseQueryLevel(std::string_view value, QueryModel model);

const char* toString(QueryLevel level) noexcept;  // "PATIENT", "STUDY", "SERIES", "IMAGE"

// Index::find and Index::instancesFor (declared in index/index.h) are defined in query.cpp.

}  // namespace medvqa
