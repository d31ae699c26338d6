#include "config/http_security_config.h"

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace medvqa::config {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw Error(ErrorCode::Config, "config key '" + key + "': " + why);
}

std::filesystem::path getPath(const json& v, const std::string& key) {
  if (!v.is_string() || v.get<std::string>().empty()) fail(key, "must be a file path");
  return v.get<std::string>();
}

}  // namespace

HttpSecurityConfig httpSecurityConfigFromJson(const json& j, const std::string& section, HttpSecurityConfig c) {
  if (!j.is_object()) fail(section, "must be an object");
  for (const auto& [name, v] : j.items()) {
    const std::string key = section + "." + name;
    if (name == "auth") {
      if (!v.is_string() || (v != "on" && v != "off")) fail(key, "must be \"on\" or \"off\"");
      c.authOff = v == "off";
    } else if (name == "jwtHs256SecretFile") c.jwtHs256SecretFile = getPath(v, key);
    else if (name == "jwtRs256PublicKey") c.jwtRs256PublicKey = getPath(v, key);
    else if (name == "httpsCert") c.httpsCert = getPath(v, key);
    else if (name == "httpsKey") c.httpsKey = getPath(v, key);
    else fail(key, "unknown key (see docs/configuration.md)");
  }
  return c;
}

void validate(const HttpSecurityConfig& c, const std::string& section) {
  if (c.httpsCert.empty() != c.httpsKey.empty()) {
    fail(section + (c.httpsCert.empty() ? ".httpsCert" : ".httpsKey"),
         "HTTPS needs both httpsCert and httpsKey (--https-cert, --https-key)");
  }
  if (c.authOff && c.hasBearerKey()) {
    fail(section + ".auth", "\"off\" contradicts the configured token key (jwtHs256SecretFile / jwtRs256PublicKey): "
                            "remove one of the two");
  }
}

}  // namespace medvqa::config
