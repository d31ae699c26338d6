#include "orthanc_rest.h"

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace medvqa::plugin {

OrthancBuffer::~OrthancBuffer() {
  if (buffer_.data != nullptr) OrthancPluginFreeMemoryBuffer(context_, &buffer_);
}

std::string_view OrthancBuffer::view() const {
  if (buffer_.data == nullptr) return {};
  return {static_cast<const char*>(buffer_.data), buffer_.size};
}

OrthancString::~OrthancString() {
  if (value_ != nullptr) OrthancPluginFreeString(context_, value_);
}

void OrthancApi::fail(const std::string& what, OrthancPluginErrorCode code) const {
  const char* description = OrthancPluginGetErrorDescription(context_, code);
  throw Error(ErrorCode::Io, "Orthanc " + what + " failed: " + (description ? description : "unknown error") +
                                 " (code " + std::to_string(static_cast<int>(code)) + ")");
}

std::optional<std::string> OrthancApi::get(const std::string& uri) const {
  OrthancBuffer answer(context_);
  const OrthancPluginErrorCode code = OrthancPluginRestApiGet(context_, answer.target(), uri.c_str());
  if (code == OrthancPluginErrorCode_UnknownResource) return std::nullopt;
  if (code != OrthancPluginErrorCode_Success) fail("GET " + uri, code);
  return std::string(answer.view());
}

std::optional<nlohmann::json> OrthancApi::getJson(const std::string& uri) const {
  const auto body = get(uri);
  if (!body) return std::nullopt;
  auto parsed = nlohmann::json::parse(*body, nullptr, false);
  if (parsed.is_discarded()) throw Error(ErrorCode::Io, "Orthanc GET " + uri + " did not answer JSON");
  return parsed;
}

nlohmann::json OrthancApi::postJson(const std::string& uri, std::string_view body) const {
  OrthancBuffer answer(context_);
  const OrthancPluginErrorCode code =
      OrthancPluginRestApiPost(context_, answer.target(), uri.c_str(), body.data(), static_cast<uint32_t>(body.size()));
  if (code != OrthancPluginErrorCode_Success) fail("POST " + uri, code);
  auto parsed = nlohmann::json::parse(answer.view(), nullptr, false);
  if (parsed.is_discarded()) throw Error(ErrorCode::Io, "Orthanc POST " + uri + " did not answer JSON");
  return parsed;
}

std::optional<std::string> OrthancApi::lookupStudy(const std::string& studyInstanceUid) const {
  const OrthancString id(context_, OrthancPluginLookupStudy(context_, studyInstanceUid.c_str()));
  if (id.empty()) return std::nullopt;
  return id.str();
}

std::optional<std::string> OrthancApi::lookupInstance(const std::string& sopInstanceUid) const {
  const OrthancString id(context_, OrthancPluginLookupInstance(context_, sopInstanceUid.c_str()));
  if (id.empty()) return std::nullopt;
  return id.str();
}

bool isOrthancId(std::string_view id) {
  if (id.size() != 44) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool dash = i % 9 == 8;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace medvqa::plugin
