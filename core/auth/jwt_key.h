#pragma once

#include <filesystem>
#include <string>

namespace medvqa::auth {

// The two signature algorithms the node accepts. Each configured key is pinned to one of them:
// a token is only ever checked with the key of the algorithm its header names, and a header
// naming any other algorithm ("none" included) is refused before any key is used.
enum class JwtAlgorithm { HS256, RS256 };

const char* toString(JwtAlgorithm algorithm) noexcept;  // "HS256" | "RS256", as in a JWS header

// Key material for one algorithm, as libjwt takes it: the HMAC secret's bytes, or the RSA
// public key's PEM text.
struct JwtKey {
  JwtAlgorithm algorithm;
  std::string material;
  std::filesystem::path file;  // where it came from, for messages
};

// Reads an HS256 shared secret: the file's bytes, one trailing line break dropped (what `echo`
// and `openssl rand -hex 32 >` leave). At least 32 bytes (RFC 7518 3.2: no shorter than the
// hash). Throws Error(Config) naming the file; warns when other users may read it.
JwtKey loadHs256Secret(const std::filesystem::path& file);

// Reads an RS256 public key: PEM "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo), RSA of
// at least 2048 bits. A private key, a certificate or a PKCS#1 key is refused with the openssl
// command that gives the right form. Throws Error(Config) naming the file.
JwtKey loadRs256PublicKey(const std::filesystem::path& file);

}  // namespace medvqa::auth
