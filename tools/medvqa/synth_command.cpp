// `medvqa synth`: writes synthetic chest radiograph and abdominal CT studies with known findings
// and the questions/answers about them (DIR/truth.jsonl). Arguments in, core/synth does the work.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "command.h"
#include "common/error.h"
#include "synth/synth.h"

namespace medvqa::cli {
namespace {

constexpr const char* kUsage = R"(usage: medvqa synth --out DIR --studies N --seed S [--kinds chest,ct]

Writes N synthetic studies into DIR (absent or empty): DIR/study-0001/ ... holding DICOM files
(chest: one CR or DX radiograph; ct: 5-9 axial abdominal CT slices) and DIR/truth.jsonl with
every question asked about each study and its true answer (docs/model-format.md): one question
per type of the study's kind (direct or inverse phrasing), three out-of-scope questions it must
refuse and one question of the other kind's types, which does not apply to it.
The same seed writes the same bytes.

options:
  --out DIR        output folder (created; must be empty if it exists)
  --studies N      number of studies, 1..1000000
  --seed S         seed of every finding, pixel, UID and date (0..2^64-1)
  --kinds LIST     comma-separated study kinds: chest, ct (default chest,ct, alternating)
  --help           this text
)";

struct UsageError {
  std::string message;
};

unsigned long long parseNumber(std::string_view option, std::string_view text, unsigned long long max) {
  unsigned long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || (ec != std::errc() && ec != std::errc::result_out_of_range) || end != text.data() + text.size())
    throw UsageError{std::string(option) + ": not a non-negative integer: '" + std::string(text) + "'"};
  if (ec == std::errc::result_out_of_range || value > max)
    throw UsageError{std::string(option) + ": " + std::string(text) + " is more than " + std::to_string(max)};
  return value;
}

std::vector<synth::StudyKind> parseKinds(std::string_view text) {
  std::vector<synth::StudyKind> kinds;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view word = text.substr(0, comma);
    const auto kind = synth::parseStudyKind(word);
    if (!kind) throw UsageError{"--kinds: unknown kind '" + std::string(word) + "' (expected chest or ct)"};
    for (const synth::StudyKind k : kinds)
      if (k == *kind) throw UsageError{"--kinds: '" + std::string(word) + "' given twice"};
    kinds.push_back(*kind);
    if (comma == std::string_view::npos) return kinds;
    text.remove_prefix(comma + 1);
  }
}

struct Parsed {
  synth::SynthOptions options;
  bool help = false;
};

Parsed parseArgs(std::span<const char* const> args) {
  Parsed p;
  bool haveStudies = false, haveSeed = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= args.size()) throw UsageError{std::string(arg) + ": missing value"};
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      p.help = true;
    } else if (arg == "--out") {
      p.options.out = std::string(value());
    } else if (arg == "--studies") {
      p.options.studies = static_cast<unsigned>(parseNumber(arg, value(), 1000000));
      if (p.options.studies == 0) throw UsageError{"--studies: must be at least 1"};
      haveStudies = true;
    } else if (arg == "--seed") {
      p.options.seed = parseNumber(arg, value(), ~0ULL);
      haveSeed = true;
    } else if (arg == "--kinds") {
      p.options.kinds = parseKinds(value());
    } else {
      throw UsageError{"unknown option '" + std::string(arg) + "'"};
    }
  }
  if (p.help) return p;
  if (p.options.out.empty()) throw UsageError{"--out is required"};
  if (!haveStudies) throw UsageError{"--studies is required"};
  if (!haveSeed) throw UsageError{"--seed is required"};
  return p;
}

}  // namespace

int runSynth(std::span<const char* const> args) {
  Parsed parsed;
  try {
    parsed = parseArgs(args);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "medvqa synth: %s\n\n%s", e.message.c_str(), kUsage);
    return 2;
  }
  if (parsed.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  try {
    const auto start = std::chrono::steady_clock::now();
    const synth::SynthSummary s = synth::generateDataset(parsed.options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("medvqa synth: %u studies (%u chest, %u ct), %u files, %.1f MB, %zu questions into %s in %.1f s\n",
                s.chestStudies + s.ctStudies, s.chestStudies, s.ctStudies, s.files, double(s.bytes) / 1e6, s.questions,
                parsed.options.out.string().c_str(), seconds);
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "medvqa synth: %s\n", e.what());
    return e.code() == ErrorCode::InvalidArgument ? 2 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "medvqa synth: error: %s\n", e.what());
    return 1;
  }
}

}  // namespace medvqa::cli
