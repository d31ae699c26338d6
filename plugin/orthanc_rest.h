#pragma once

// RAII over the memory Orthanc hands out, and Orthanc's built-in REST API as seen from inside
// the process (no HTTP, no authentication: the plugin is Orthanc).

#include <orthanc/OrthancCPlugin.h>

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace medvqa::plugin {

// A buffer an SDK call filled (OrthancPluginRestApiGet...), freed once on destruction.
class OrthancBuffer {
 public:
  explicit OrthancBuffer(OrthancPluginContext* context) : context_(context) {}
  ~OrthancBuffer();
  OrthancBuffer(const OrthancBuffer&) = delete;
  OrthancBuffer& operator=(const OrthancBuffer&) = delete;

  OrthancPluginMemoryBuffer* target() { return &buffer_; }  // for the SDK call to fill
  std::string_view view() const;

 private:
  OrthancPluginContext* context_;
  OrthancPluginMemoryBuffer buffer_{nullptr, 0};
};

// A string Orthanc allocated (configuration, look-ups), freed once on destruction. May be null.
class OrthancString {
 public:
  OrthancString(OrthancPluginContext* context, char* value) : context_(context), value_(value) {}
  ~OrthancString();
  OrthancString(const OrthancString&) = delete;
  OrthancString& operator=(const OrthancString&) = delete;

  bool empty() const { return value_ == nullptr; }
  std::string str() const { return value_ ? std::string(value_) : std::string(); }

 private:
  OrthancPluginContext* context_;
  char* value_;
};

// Orthanc's REST API and look-ups. Failures other than "no such resource" throw Error(Io) naming
// the URI and Orthanc's own description of the error. Thread-safe (Orthanc's calls are).
class OrthancApi {
 public:
  explicit OrthancApi(OrthancPluginContext* context) : context_(context) {}

  // nullopt when Orthanc answers 404 (the resource does not exist, or no longer).
  std::optional<std::string> get(const std::string& uri) const;
  std::optional<nlohmann::json> getJson(const std::string& uri) const;
  nlohmann::json postJson(const std::string& uri, std::string_view body) const;

  // Orthanc's id of the study/instance with this UID, nullopt when Orthanc has none.
  std::optional<std::string> lookupStudy(const std::string& studyInstanceUid) const;
  std::optional<std::string> lookupInstance(const std::string& sopInstanceUid) const;

  OrthancPluginContext* context() const { return context_; }

 private:
  [[noreturn]] void fail(const std::string& what, OrthancPluginErrorCode code) const;

  OrthancPluginContext* context_;
};

// Orthanc's resource ids are SHA-1 digests written as five dash-separated groups of 8 hex digits;
// anything else never reaches Orthanc's API (it would be a path).
bool isOrthancId(std::string_view id);

}  // namespace medvqa::plugin
