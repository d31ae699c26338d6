// `medvqa`: the engine's command line. Each subcommand is a thin translation of arguments into
// calls on core/; the table below is the only place that knows them all.
#include <cstdio>
#include <cstring>
#include <span>

#include "command.h"

namespace {

using medvqa::cli::Command;

// Commands are added here as their files land.
constexpr Command kCommands[] = {
    {"synth", "write synthetic chest/CT studies with known findings", medvqa::cli::runSynth},
    {"prepare", "turn a synthetic set into training tensors", medvqa::cli::runPrepare},
    {"ask", "answer a question about a DICOM file or study folder", medvqa::cli::runAsk},
    {"eval", "measure a model's accuracy and calibration", medvqa::cli::runEval},
    {"sr-json", "print the answers of a MedVQA answer SR as JSON", medvqa::cli::runSrJson},
    {"", "", nullptr},
};

void printUsage(std::FILE* out) {
  std::fprintf(out, "usage: medvqa <command> [options]   (medvqa <command> --help for details)\n\ncommands:\n");
  for (const auto& command : kCommands) {
    if (command.run != nullptr) {
      std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(command.name.size()), command.name.data(),
                   static_cast<int>(command.summary.size()), command.summary.data());
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    printUsage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::printf("medvqa %s\n", MEDVQA_VERSION);
    return 0;
  }
  for (const auto& command : kCommands) {
    if (command.run != nullptr && command.name == argv[1]) {
      return command.run(std::span<const char* const>(argv + 2, static_cast<size_t>(argc - 2)));
    }
  }
  std::fprintf(stderr, "medvqa: unknown command '%s'\n", argv[1]);
  printUsage(stderr);
  return 2;
}
