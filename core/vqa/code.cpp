#include "vqa/code.h"

#include <nlohmann/json.hpp>

#include "vqa/json_fields.h"

namespace medvqa::vqa {

void to_json(nlohmann::json& out, const Code& code) {
  out = {{"value", code.value}, {"scheme", code.scheme}, {"meaning", code.meaning}};
}

void from_json(const nlohmann::json& in, Code& code) {
  code = json_fields::readCode(in, {"code", ErrorCode::InvalidArgument});
}

}  // namespace medvqa::vqa
