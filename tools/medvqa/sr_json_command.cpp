// `medvqa sr-json FILE`: the answers of a MedVQA answer SR as JSON, read back through
// core/sr's reader, so what it prints is what the SR holds (not what the writer was given).
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "command.h"
#include "common/error.h"
#include "sr/sr_reader.h"

namespace medvqa::cli {

namespace {

constexpr const char* kUsage =
    "usage: medvqa sr-json FILE\n"
    "\n"
    "Prints the answers of the MedVQA answer SR in FILE (a Comprehensive SR that MedVQA wrote, see\n"
    "docs/sr.md) as one JSON object:\n"
    "  {\"study_uid\": \"...\", \"answers\": [{\"question\", \"answer\", \"confidence\", \"source\",\n"
    "   \"model\": {\"name\", \"version\"}, \"evidence\": [SOP Instance UIDs], \"alternatives\", \"code\"}]}\n"
    "\n"
    "Exit status 0; 1 when FILE is missing, not DICOM, not an SR, or not a MedVQA answer SR;\n"
    "2 on a usage error.\n";

int usageError(const std::string& message) {
  std::fprintf(stderr, "medvqa sr-json: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

int runSrJson(std::span<const char* const> args) {
  std::string file;
  for (const char* raw : args) {
    const std::string_view arg = raw;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg.starts_with("--")) return usageError("unknown option " + std::string(arg));
    if (!file.empty()) return usageError("expected one FILE, got a second: " + std::string(arg));
    file = arg;
  }
  if (file.empty()) return usageError("expected FILE");
  try {
    std::printf("%s\n", nlohmann::json(sr::readAnswersFile(file)).dump(2).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "medvqa sr-json: %s\n", e.what());
    return 1;
  }
}

}  // namespace medvqa::cli
