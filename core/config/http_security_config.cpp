#include "config/http_security_config.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "config/config_value.h"

namespace medvqa::config {
using nlohmann::json;

HttpSecurityConfig httpSecurityConfigFromJson(const json& j, const std::string& section, HttpSecurityConfig c) {
  if (!j.is_object()) failKey(section, "must be an object");
  for (const auto& [name, v] : j.items()) {
    const std::string key = section + "." + name;
    if (name == "auth") {
      if (!v.is_string() || (v != "on" && v != "off")) failKey(key, "must be \"on\" or \"off\"");
      c.authOff = v == "off";
    } else if (name == "jwtHs256SecretFile") c.jwtHs256SecretFile = filePath(v, key);
    else if (name == "jwtRs256PublicKey") c.jwtRs256PublicKey = filePath(v, key);
    else if (name == "httpsCert") c.httpsCert = filePath(v, key);
    else if (name == "httpsKey") c.httpsKey = filePath(v, key);
    else failKey(key, "unknown key (see docs/configuration.md)");
  }
  return c;
}

void validate(const HttpSecurityConfig& c, const std::string& section) {
  if (c.httpsCert.empty() != c.httpsKey.empty()) {
    failKey(section + (c.httpsCert.empty() ? ".httpsCert" : ".httpsKey"),
         "HTTPS needs both httpsCert and httpsKey (--https-cert, --https-key)");
  }
  if (c.authOff && c.hasBearerKey()) {
    failKey(section + ".auth", "\"off\" contradicts the configured token key (jwtHs256SecretFile / jwtRs256PublicKey): "
                            "remove one of the two");
  }
}

}  // namespace medvqa::config
