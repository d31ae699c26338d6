#pragma once

#include <span>
#include <string_view>

namespace medvqa::cli {

// One subcommand of `medvqa`: `args` are the words after the subcommand's name. Returns the
// process exit status (0 ok, 1 failure, 2 usage error) and prints its own errors to stderr.
using CommandFn = int (*)(std::span<const char* const> args);

struct Command {
  std::string_view name;
  std::string_view summary;
  CommandFn run;
};

// Each command lives in its own file (synth_command.cpp, ask_command.cpp, ...).
int runSynth(std::span<const char* const> args);
int runPrepare(std::span<const char* const> args);
int runAsk(std::span<const char* const> args);
int runEval(std::span<const char* const> args);
int runSrJson(std::span<const char* const> args);

}  // namespace medvqa::cli
