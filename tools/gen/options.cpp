#include "options.h"

#include <charconv>
#include <ostream>
#include <string_view>

namespace medvqa::gen {
namespace {

struct SyntaxName {
  Syntax syntax;
  const char* name;
};

constexpr SyntaxName kSyntaxNames[] = {
    {Syntax::Implicit, "implicit"},         {Syntax::Explicit, "explicit"},
    {Syntax::BigEndian, "bigendian"},       {Syntax::Deflated, "deflated"},
    {Syntax::JpegBaseline, "jpeg-baseline"}, {Syntax::JpegExtended, "jpeg-extended"},
    {Syntax::JpegLossless, "jpeg-lossless"}, {Syntax::JpegLS, "jpegls"},
    {Syntax::Rle, "rle"},                   {Syntax::J2k, "j2k"},
};

unsigned long long parseNumber(std::string_view opt, std::string_view text, unsigned long long min,
                               unsigned long long max) {
  unsigned long long v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
    throw UsageError(std::string(opt) + ": not a non-negative integer: '" + std::string(text) + "'");
  if (v < min || v > max)
    throw UsageError(std::string(opt) + ": " + std::string(text) + " is out of range [" +
                     std::to_string(min) + ", " + std::to_string(max) + "]");
  return v;
}

Date parseDate(std::string_view opt, std::string_view text) {
  if (text.size() != 8) throw UsageError(std::string(opt) + ": expected YYYYMMDD");
  Date d;
  d.year = static_cast<int>(parseNumber(opt, text.substr(0, 4), 1900, 2999));
  d.month = static_cast<unsigned>(parseNumber(opt, text.substr(4, 2), 1, 12));
  d.day = static_cast<unsigned>(parseNumber(opt, text.substr(6, 2), 1, 31));
  return d;
}

Modality parseModality(std::string_view text) {
  if (text == "CT" || text == "ct") return Modality::CT;
  if (text == "MR" || text == "mr") return Modality::MR;
  if (text == "CR" || text == "cr") return Modality::CR;
  throw UsageError("--modality: expected CT, MR or CR, got '" + std::string(text) + "'");
}

}  // namespace

const char* modalityName(Modality m) {
  switch (m) {
    case Modality::CT: return "CT";
    case Modality::MR: return "MR";
    case Modality::CR: return "CR";
  }
  return "OT";
}

Syntax parseSyntax(const std::string& name) {
  for (const auto& s : kSyntaxNames)
    if (name == s.name) return s.syntax;
  std::string all;
  for (const auto& s : kSyntaxNames) all += std::string(all.empty() ? "" : ", ") + s.name;
  throw UsageError("--transfer-syntax: unknown '" + name + "' (one of: " + all + ")");
}

const char* syntaxName(Syntax s) {
  for (const auto& n : kSyntaxNames)
    if (n.syntax == s) return n.name;
  return "?";
}

void printUsage(std::ostream& os) {
  os << R"(medvqa-gen: writes synthetic, valid DICOM Part 10 files (deterministic for a given seed).

Usage:
  medvqa-gen --out DIR [options]            a corpus: DIR/<study>/<series>/<instance>.dcm
  medvqa-gen --hostile KIND --out FILE      one deliberately malformed file (security tests)
  medvqa-gen --list-hostile                 list the hostile kinds

Options:
  --out PATH               output directory (corpus) or file (--hostile)
  --studies N              number of studies (default 1)
  --series-per-study S     series per study (default 1)
  --instances M            instances per series (default 10)
  --rows R --cols C        image size (default 512 x 512)
  --modality CT|MR|CR      CT: CT Image Storage, 16-bit signed, rescale -1024/1 (default)
                           MR: MR Image Storage, 12-bit unsigned
                           CR: CR Image Storage, 12-bit unsigned, chest PA
  --seed N                 seed of every UID, name and pixel (default 1)
  --patients P             number of distinct patients (default: one per study)
  --transfer-syntax NAME   implicit | explicit (default) | bigendian | deflated |
                           jpeg-baseline (8-bit, windowed) | jpeg-extended (MR/CR) |
                           jpeg-lossless | jpegls | rle | j2k (lossless, OpenJPEG)
  --date-from YYYYMMDD     first study date (default 20230101)
  --date-days D            study dates spread over D days (default 1096)
  --quiet                  no summary line
  --help                   this text
)";
}

GenOptions parseOptions(int argc, char** argv) {
  GenOptions o;
  constexpr unsigned long long kMaxCount = 100000000ULL;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) throw UsageError(std::string(arg) + ": missing value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") o.help = true;
    else if (arg == "--quiet" || arg == "-q") o.quiet = true;
    else if (arg == "--list-hostile") o.listHostile = true;
    else if (arg == "--out") o.out = std::string(value());
    else if (arg == "--studies") o.studies = unsigned(parseNumber(arg, value(), 1, kMaxCount));
    else if (arg == "--series-per-study") o.seriesPerStudy = unsigned(parseNumber(arg, value(), 1, 1000));
    else if (arg == "--instances") o.instances = unsigned(parseNumber(arg, value(), 1, 100000));
    else if (arg == "--rows") o.rows = unsigned(parseNumber(arg, value(), 8, 8192));
    else if (arg == "--cols") o.cols = unsigned(parseNumber(arg, value(), 8, 8192));
    else if (arg == "--modality") o.modality = parseModality(value());
    else if (arg == "--seed") o.seed = parseNumber(arg, value(), 0, ~0ULL);
    else if (arg == "--patients") o.patients = unsigned(parseNumber(arg, value(), 1, kMaxCount));
    else if (arg == "--transfer-syntax") o.syntax = parseSyntax(std::string(value()));
    else if (arg == "--date-from") o.dateFrom = parseDate(arg, value());
    else if (arg == "--date-days") o.dateDays = unsigned(parseNumber(arg, value(), 1, 36500));
    else if (arg == "--hostile") o.hostile = std::string(value());
    else throw UsageError("unknown option '" + std::string(arg) + "' (see --help)");
  }
  if (o.help || o.listHostile) return o;
  if (o.out.empty()) throw UsageError("--out is required (see --help)");
  if (o.patients == 0 || o.patients > o.studies) o.patients = o.studies;
  if (o.syntax == Syntax::JpegExtended && o.modality == Modality::CT)
    throw UsageError("--transfer-syntax jpeg-extended needs <= 12-bit data: use --modality MR or CR");
  return o;
}

}  // namespace medvqa::gen
