#pragma once

// A coded concept as DICOM SR writes it: Code Value, Coding Scheme Designator, Code Meaning.
// The manifest attaches one to an answer (SNOMED CT "SCT", "DCM", RadLex "RADLEX"); the SR
// writer turns it into a CODE content item.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace medvqa::vqa {

struct Code {
  std::string value;    // "373066001"
  std::string scheme;   // "SCT"
  std::string meaning;  // "Yes"

  bool operator==(const Code&) const = default;
};

// {"value": ..., "scheme": ..., "meaning": ...}. from_json throws Error(InvalidArgument) naming the
// missing or empty field ("code.scheme: ...").
void to_json(nlohmann::json& out, const Code& code);
void from_json(const nlohmann::json& in, Code& code);

}  // namespace medvqa::vqa
