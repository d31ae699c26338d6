#include "https_server.h"

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fstream>
#include <string>
#include <utility>

#include "common/error.h"

namespace medvqa::scp {
namespace {

std::string opensslReason() {
  const unsigned long code = ERR_peek_last_error();
  char text[256] = "unknown OpenSSL error";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

// Fills `ctx` from the configured files; on failure says why in `problem` and returns false
// (SSLServer then reports itself invalid).
bool setUpTls(SSL_CTX& ctx, const config::HttpSecurityConfig& c, std::string& problem) {
  // OpenSSL's own words for a missing file are "system lib": say it plainly first.
  for (const auto& [what, file] : {std::pair{"HTTPS certificate ", &c.httpsCert}, std::pair{"HTTPS key ", &c.httpsKey}}) {
    if (!std::ifstream(*file)) {
      problem = what + file->string() + ": cannot read it";
      return false;
    }
  }
  ERR_clear_error();
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // An encrypted key would make OpenSSL ask for its passphrase on the terminal: refuse it instead.
  SSL_CTX_set_default_passwd_cb(&ctx, [](char*, int, int, void*) { return 0; });
  if (SSL_CTX_use_certificate_chain_file(&ctx, c.httpsCert.c_str()) != 1) {
    problem = "HTTPS certificate " + c.httpsCert.string() + ": cannot use it (" + opensslReason() + ")";
    return false;
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, c.httpsKey.c_str(), SSL_FILETYPE_PEM) != 1) {
    problem = "HTTPS key " + c.httpsKey.string() + ": cannot use it with " + c.httpsCert.string() +
              "; an unencrypted PEM private key of that certificate is needed (" + opensslReason() + ")";
    return false;
  }
  if (SSL_CTX_check_private_key(&ctx) != 1) {
    problem = "HTTPS key " + c.httpsKey.string() + " does not belong to the certificate " + c.httpsCert.string();
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<httplib::Server> makeHttpServer(const config::HttpSecurityConfig& c) {
  if (!c.https()) return std::make_unique<httplib::Server>();
  std::string problem;
  auto server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) { return setUpTls(ctx, c, problem); });
  if (!server->is_valid()) {
    throw Error(ErrorCode::Config, problem.empty() ? "cannot set up TLS for the HTTP API: " + opensslReason() : problem);
  }
  return server;
}

}  // namespace medvqa::scp
