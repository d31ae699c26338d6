#include "plugin_config.h"

#include <dlfcn.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "orthanc_rest.h"

namespace medvqa::plugin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSection = "MedVQA";
constexpr const char* kStateFolder = "stateFolder";  // the one key the node's schema lacks
constexpr const char* kAudit = "audit";              // the node's "audit" section, beside "answering"'s keys

fs::path relativeTo(const fs::path& base, const fs::path& path) {
  return (path.is_relative() ? base / path : path).lexically_normal();
}

// Orthanc's own StorageDirectory (default "OrthancStorage"), resolved the way Orthanc does.
fs::path orthancStorage(const json& orthanc, const fs::path& configFolder) {
  const auto it = orthanc.find("StorageDirectory");
  if (it == orthanc.end()) return configFolder / "OrthancStorage";
  if (!it->is_string()) throw Error(ErrorCode::Config, "config key 'StorageDirectory': must be a string");
  return relativeTo(configFolder, it->get<std::string>());
}

// "forward" names Orthanc modalities, and a name becomes part of a REST URI: plain names only.
void checkModalityNames(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    const bool plain = !name.empty() && name.size() <= 64 &&
                       name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") ==
                           std::string::npos;
    if (!plain) {
      throw Error(ErrorCode::Config, std::string("config key '") + kSection + ".forward': '" + name +
                                         "' is not a modality name of Orthanc's DicomModalities");
    }
  }
}

// The files an "s3" entry names are read while the section is parsed: relative to Orthanc's
// configuration folder like every other path here, not to whatever folder Orthanc runs in. Values
// of the wrong type are left for the parser to name.
void resolveS3Files(json& section, const fs::path& configFolder) {
  const auto s3 = section.find("s3");
  if (s3 == section.end() || !s3->is_array()) return;
  for (auto& destination : *s3) {
    if (!destination.is_object()) continue;
    for (const char* key : {"secretAccessKeyFile", "caFile"}) {
      const auto path = destination.find(key);
      if (path != destination.end() && path->is_string() && !path->get<std::string>().empty()) {
        *path = relativeTo(configFolder, path->get<std::string>()).string();
      }
    }
  }
}

// The "audit" section, parsed and checked as the node's, its files relative to Orthanc's
// configuration folder.
audit::AuditConfig auditFrom(const json& section, const fs::path& configFolder) {
  const std::string key = std::string(kSection) + "." + kAudit;
  audit::AuditConfig audit = config::auditConfigFromJson(section, key);
  config::validate(audit, key);
  for (fs::path* path : {&audit.file, &audit.syslog.ca, &audit.syslog.certificate, &audit.syslog.privateKey}) {
    if (!path->empty()) *path = relativeTo(configFolder, *path);
  }
  return audit;
}

// Orthanc's AE title (default "ORTHANC"), as Orthanc reads it.
std::string orthancAet(const json& orthanc) {
  const auto it = orthanc.find("DicomAet");
  if (it == orthanc.end()) return "ORTHANC";
  if (!it->is_string() || it->get<std::string>().empty()) {
    throw Error(ErrorCode::Config, "config key 'DicomAet': must be a non-empty string");
  }
  return it->get<std::string>();
}

fs::path defaultModel(const fs::path& pluginFile) {
  const fs::path sourceTree = pluginFile.parent_path() / ".." / ".." / "models" / "demo";
  if (!pluginFile.empty() && fs::exists(sourceTree / "manifest.json")) return fs::weakly_canonical(sourceTree);
  return config::resolveModelFolder({});
}

}  // namespace

PluginConfig pluginConfigFromOrthanc(const json& orthanc, const fs::path& configFolder, const fs::path& pluginFile) {
  json section = json::object();
  if (orthanc.contains(kSection)) section = orthanc[kSection];
  if (!section.is_object()) throw Error(ErrorCode::Config, std::string("config key '") + kSection + "': must be a JSON object");

  PluginConfig out;
  out.stateFolder = orthancStorage(orthanc, configFolder) / "medvqa";
  if (section.contains(kStateFolder)) {
    const json& v = section[kStateFolder];
    if (!v.is_string() || v.get<std::string>().empty()) {
      throw Error(ErrorCode::Config, std::string("config key '") + kSection + "." + kStateFolder + "': must be a folder path");
    }
    out.stateFolder = relativeTo(configFolder, v.get<std::string>());
    section.erase(kStateFolder);
  }
  if (section.contains(kAudit)) {
    out.audit = auditFrom(section[kAudit], configFolder);
    section.erase(kAudit);
  }
  out.aet = orthancAet(orthanc);
  resolveS3Files(section, configFolder);
  out.answering = config::answeringConfigFromJson(section, kSection);
  checkModalityNames(out.answering.forward);
  out.modelFolder = out.answering.model.empty() ? defaultModel(pluginFile)
                                                : config::resolveModelFolder(relativeTo(configFolder, out.answering.model));
  return out;
}

namespace {

// Orthanc names its configuration file, or the folder of files it merged; relative paths are
// relative to that folder.
fs::path configFolderOf(const std::string& configPath) {
  if (configPath.empty()) return fs::current_path();
  const fs::path path = fs::absolute(configPath);
  return fs::is_directory(path) ? path : path.parent_path();
}

fs::path thisLibrary() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&readPluginConfig), &info) == 0 || info.dli_fname == nullptr) return {};
  return fs::absolute(info.dli_fname);
}

}  // namespace

PluginConfig readPluginConfig(OrthancPluginContext* context) {
  const OrthancString text(context, OrthancPluginGetConfiguration(context));
  const json orthanc = json::parse(text.str(), nullptr, false);
  if (text.empty() || orthanc.is_discarded()) throw Error(ErrorCode::Config, "cannot read Orthanc's configuration");
  const OrthancString path(context, OrthancPluginGetConfigurationPath(context));
  return pluginConfigFromOrthanc(orthanc, configFolderOf(path.str()), thisLibrary());
}

}  // namespace medvqa::plugin
