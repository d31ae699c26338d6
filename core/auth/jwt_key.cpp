#include "auth/jwt_key.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <iterator>
#include <memory>

#include "common/error.h"
#include "common/log.h"

namespace medvqa::auth {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMinHs256SecretBytes = 32;
constexpr int kMinRsaBits = 2048;

struct BioFree {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};

[[noreturn]] void fail(const char* what, const fs::path& file, const std::string& why) {
  throw Error(ErrorCode::Config, std::string(what) + " " + file.string() + ": " + why);
}

std::string readAll(const char* what, const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(what, file, "cannot read it");
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) fail(what, file, "cannot read it");
  return bytes;
}

void warnIfOthersMayRead(const char* what, const fs::path& file) {
  std::error_code ec;
  const auto perms = fs::status(file, ec).permissions();
  if (ec) return;
  if ((perms & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none) {
    log::warn(std::string(what) + " " + file.string() + " may be read by other users: chmod 600 it");
  }
}

// Names the PEM the operator gave instead of a public key, with the command that converts it.
std::string wrongPemHint(const std::string& pem) {
  if (pem.find("PRIVATE KEY-----") != std::string::npos) {
    return "this is a private key; the node needs only the public key: openssl pkey -in KEY -pubout -out PUBLIC.pem";
  }
  if (pem.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    return "this is a certificate; extract its key: openssl x509 -in CERT -pubkey -noout > PUBLIC.pem";
  }
  if (pem.find("-----BEGIN RSA PUBLIC KEY-----") != std::string::npos) {
    return "this is a PKCS#1 key; convert it: openssl rsa -RSAPublicKey_in -in KEY -pubout -out PUBLIC.pem";
  }
  return "not a PEM public key (-----BEGIN PUBLIC KEY-----)";
}

}  // namespace

const char* toString(JwtAlgorithm algorithm) noexcept {
  return algorithm == JwtAlgorithm::HS256 ? "HS256" : "RS256";
}

JwtKey loadHs256Secret(const fs::path& file) {
  constexpr const char* what = "JWT HS256 secret file";
  std::string secret = readAll(what, file);
  if (secret.ends_with('\n')) secret.pop_back();
  if (secret.ends_with('\r')) secret.pop_back();
  if (secret.size() < kMinHs256SecretBytes) {
    fail(what, file, "the secret has " + std::to_string(secret.size()) + " bytes; HS256 needs at least " +
                         std::to_string(kMinHs256SecretBytes) + " (e.g. openssl rand -hex 32)");
  }
  warnIfOthersMayRead(what, file);
  return {JwtAlgorithm::HS256, std::move(secret), file};
}

JwtKey loadRs256PublicKey(const fs::path& file) {
  constexpr const char* what = "JWT RS256 public key";
  std::string pem = readAll(what, file);
  const std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) fail(what, file, "out of memory");
  // The same reader libjwt uses when it verifies, so what loads here verifies there.
  const std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) fail(what, file, wrongPemHint(pem));
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) fail(what, file, "not an RSA key (RS256 needs RSA)");
  if (EVP_PKEY_get_bits(key.get()) < kMinRsaBits) {
    fail(what, file, "an RSA key of " + std::to_string(EVP_PKEY_get_bits(key.get())) + " bits; at least " +
                         std::to_string(kMinRsaBits) + " needed");
  }
  return {JwtAlgorithm::RS256, std::move(pem), file};
}

}  // namespace medvqa::auth
