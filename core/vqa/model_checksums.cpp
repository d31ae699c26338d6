#include "vqa/model_checksums.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "common/error.h"

namespace medvqa::vqa {

namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

std::string hex(const unsigned char* bytes, unsigned length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xF]);
  }
  return out;
}

}  // namespace

std::string sha256File(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, "cannot read " + file.string());
  std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorCode::Io, "SHA-256 unavailable");
  }
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned length = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  return hex(digest.data(), length);
}

void verifyChecksums(const std::filesystem::path& folder, const std::string& module) {
  const auto sums = folder / "SHA256SUMS";
  std::ifstream in(sums);
  if (!in) return;
  std::set<std::string> listed;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string expected, name;
    fields >> expected >> name;
    if (!name.empty() && name[0] == '*') name.erase(0, 1);  // sha256sum's binary-mode marker
    if (expected.size() != 64 || name.empty()) throw Error(ErrorCode::Config, sums.string() + ": malformed line \"" + line + "\"");
    if (sha256File(folder / name) != expected) {
      throw Error(ErrorCode::Config, sums.string() + ": " + name + " does not match its checksum (modified or truncated)");
    }
    listed.insert(name);
  }
  for (const auto& required : {std::string("manifest.json"), module}) {
    if (!listed.count(required)) throw Error(ErrorCode::Config, sums.string() + ": does not list " + required);
  }
}

}  // namespace medvqa::vqa
