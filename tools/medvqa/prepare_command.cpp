// `medvqa prepare`: a synthetic set turned into training tensors (docs/model-format.md).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "command.h"
#include "common/error.h"
#include "training/training_set.h"

namespace medvqa::cli {

namespace {

constexpr const char* kUsage =
    "usage: medvqa prepare --data DIR --out PREFIX [--tokenizer MANIFEST] [--exclude-heldout]\n"
    "                      [--input-size N] [--threads N] [--quiet]\n"
    "\n"
    "Reads DIR/truth.jsonl and the study folders beside it, preprocesses every study once with the\n"
    "runtime's own image code and tokenizes every question with its tokenizer. Writes PREFIX.pt\n"
    "(tensors, for torch.load) and PREFIX.json (tokenizer, answers, question types, input, rows,\n"
    "text rows). Image rows come from the questions a study answers (refusals are left out); the\n"
    "text set (every phrasing and every out-of-scope question) teaches question understanding.\n"
    "\n"
    "  --data DIR           a `medvqa synth` folder (or its truth.jsonl)\n"
    "  --out PREFIX         output path without extension\n"
    "  --tokenizer MANIFEST reuse a model's tokenizer, answers, question types and input (an\n"
    "                       evaluation set); without it the vocabulary is built from DIR's\n"
    "                       training questions and the text set's training questions\n"
    "  --exclude-heldout    leave out the rows and text rows held out of training (held-out\n"
    "                       phrasings, out-of-scope topics and wordings)\n"
    "  --input-size N       model input N x N instead of 128 x 128 (not with --tokenizer)\n"
    "  --threads N          studies loaded in parallel (default 2)\n"
    "  --quiet              no progress on stderr\n";

struct Arguments {
  training::PrepareOptions options;
  std::string out;
  bool quiet = false;
};

int usageError(const std::string& message) {
  std::fprintf(stderr, "medvqa prepare: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

int parsePositive(const char* text, const char* flag) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < 1 || value > 4096) {
    throw Error(ErrorCode::InvalidArgument, std::string(flag) + " expects a positive number, got \"" + text + "\"");
  }
  return static_cast<int>(value);
}

// nullopt after --help (usage printed).
std::optional<Arguments> parse(std::span<const char* const> args) {
  Arguments parsed;
  bool haveData = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view flag = args[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= args.size()) throw Error(ErrorCode::InvalidArgument, std::string(flag) + " needs a value");
      return args[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      return std::nullopt;
    } else if (flag == "--data") {
      parsed.options.data = value();
      haveData = true;
    } else if (flag == "--out") {
      parsed.out = value();
    } else if (flag == "--tokenizer") {
      parsed.options.tokenizerManifest = value();
    } else if (flag == "--exclude-heldout") {
      parsed.options.excludeHeldout = true;
    } else if (flag == "--input-size") {
      parsed.options.inputSize = parsePositive(value(), "--input-size");
    } else if (flag == "--threads") {
      parsed.options.threads = parsePositive(value(), "--threads");
    } else if (flag == "--quiet") {
      parsed.quiet = true;
    } else {
      throw Error(ErrorCode::InvalidArgument, "unknown option " + std::string(flag));
    }
  }
  if (!haveData) throw Error(ErrorCode::InvalidArgument, "--data is required");
  if (parsed.out.empty()) throw Error(ErrorCode::InvalidArgument, "--out is required");
  return parsed;
}

void reportProgress(std::size_t done, std::size_t total) {
  if (done % 250 == 0 || done == total) std::fprintf(stderr, "\rmedvqa prepare: %zu/%zu studies", done, total);
  if (done == total) std::fputc('\n', stderr);
}

}  // namespace

int runPrepare(std::span<const char* const> args) {
  std::optional<Arguments> parsed;
  try {
    parsed = parse(args);
  } catch (const Error& e) {
    return usageError(e.what());
  }
  if (!parsed) return 0;
  if (!parsed->quiet) parsed->options.progress = reportProgress;
  try {
    const auto start = std::chrono::steady_clock::now();
    const auto set = training::buildTrainingSet(parsed->options);
    training::writeTrainingSet(set, parsed->out);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::printf("%s.pt: %lld images, %zu question rows, %zu text rows, %zu words + %u n-gram buckets (%.1f s)\n",
                parsed->out.c_str(), static_cast<long long>(set.imageCount), set.rows.size(), set.textRows.size(),
                set.tokenizer.vocabulary.size(), set.tokenizer.buckets, took.count());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "medvqa prepare: %s\n", e.what());
    return 1;
  }
}

}  // namespace medvqa::cli
