#pragma once

#include <memory>

#include "config/http_security_config.h"

namespace httplib {
class Server;
}

namespace medvqa::scp {

// The HTTP API's server: cpp-httplib's SSLServer when a certificate and key are configured
// (TLS 1.2 or later, OpenSSL's default cipher policy), its plain Server otherwise. The
// certificate and key are read here, once; Error(Config) names the file that cannot be used.
std::unique_ptr<httplib::Server> makeHttpServer(const config::HttpSecurityConfig& config);

}  // namespace medvqa::scp
