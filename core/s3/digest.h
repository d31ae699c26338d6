#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace medvqa::s3 {

// SHA-256 and HMAC-SHA-256 (OpenSSL EVP), the two primitives of AWS Signature Version 4.

// Lower-case hex of `bytes`.
std::string toHex(std::string_view bytes);
// Hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);
// Hex SHA-256 of a file's contents, read in chunks (instances can be large). Error(Io) when it
// cannot be read.
std::string sha256FileHex(const std::filesystem::path& file);
// Raw (32-byte) HMAC-SHA-256 of `data` under `key`.
std::string hmacSha256(std::string_view key, std::string_view data);

}  // namespace medvqa::s3
