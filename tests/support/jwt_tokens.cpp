#include "jwt_tokens.h"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace medvqa::test {
namespace {

struct BioFree {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct JwtFree {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};
struct StringFree {
  void operator()(char* s) const noexcept { std::free(s); }
};

template <typename Write>
std::string pem(Write write) {
  const std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) throw std::runtime_error("cannot write PEM");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

RsaKeyPair makeRsaKeyPair(int bits) {
  const std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_RSA_gen(static_cast<unsigned>(bits)));
  if (!key) throw std::runtime_error("EVP_RSA_gen failed");
  return {pem([&](BIO* b) { return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); }),
          pem([&](BIO* b) { return PEM_write_bio_PUBKEY(b, key.get()); })};
}

std::string mintJwt(const std::string& algorithm, const std::string& key, const nlohmann::json& claims) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new failed");
  const std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  if (jwt_add_grants_json(jwt.get(), claims.dump().c_str()) != 0) throw std::runtime_error("jwt_add_grants_json failed");
  const jwt_alg_t alg = jwt_str_alg(algorithm.c_str());
  const bool none = alg == JWT_ALG_NONE;
  if (alg == JWT_ALG_INVAL ||
      jwt_set_alg(jwt.get(), alg, none ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                  none ? 0 : static_cast<int>(key.size())) != 0) {
    throw std::runtime_error("jwt_set_alg " + algorithm + " failed");
  }
  const std::unique_ptr<char, StringFree> token(jwt_encode_str(jwt.get()));
  if (!token) throw std::runtime_error("jwt_encode_str failed");
  return token.get();
}

std::int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

nlohmann::json tokenClaims(const std::vector<std::string>& roles, std::chrono::seconds lifetime, const std::string& subject) {
  return {{"sub", subject}, {"roles", roles}, {"exp", unixNow() + lifetime.count()}};
}

}  // namespace medvqa::test
