#pragma once

#include <orthanc/OrthancCPlugin.h>

#include <filesystem>
#include <nlohmann/json_fwd.hpp>

#include "config/answering_config.h"
#include "config/audit_config.h"

namespace medvqa::plugin {

// The "MedVQA" section of Orthanc's configuration: the node's "answering" keys (one schema, one
// parser: config::answeringConfigFromJson), its "audit" section (config::auditConfigFromJson),
// plus what only the plugin has.
struct PluginConfig {
  pipeline::AnsweringConfig answering;
  audit::AuditConfig audit;           // paths resolved; off unless "audit" names a file or a collector
  std::string aet;                    // Orthanc's own "DicomAet": who the audit messages name
  std::filesystem::path stateFolder;  // the plugin's job queue, outbox and scratch space
  std::filesystem::path modelFolder;  // resolved: the folder the model is loaded from
};

// `orthanc` is Orthanc's whole configuration (OrthancPluginGetConfiguration); an absent "MedVQA"
// section means every default. Relative paths are relative to `configFolder`, as Orthanc reads
// its own paths. The default model is models/demo of the source tree the plugin was built in
// (`pluginFile` is build/lib/libOrthancMedVQA.so), else config::resolveModelFolder's default.
// Error(Config) naming the key for anything wrong.
PluginConfig pluginConfigFromOrthanc(const nlohmann::json& orthanc, const std::filesystem::path& configFolder,
                                     const std::filesystem::path& pluginFile);

// The above, from the running Orthanc: its configuration (comments stripped), the folder of its
// configuration file, and this library's own path.
PluginConfig readPluginConfig(OrthancPluginContext* context);

}  // namespace medvqa::plugin
