// Command-line options of medvqa-gen.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <stdexcept>
#include <string>

namespace medvqa::gen {

enum class Modality { CT, MR, CR };

/// Transfer syntaxes the generator can write (names as on the command line).
enum class Syntax {
  Implicit,      // 1.2.840.10008.1.2
  Explicit,      // 1.2.840.10008.1.2.1
  BigEndian,     // 1.2.840.10008.1.2.2 (retired, still seen)
  Deflated,      // 1.2.840.10008.1.2.1.99
  JpegBaseline,  // 1.2.840.10008.1.2.4.50 (8-bit lossy)
  JpegExtended,  // 1.2.840.10008.1.2.4.51 (12-bit lossy; MR/CR only)
  JpegLossless,  // 1.2.840.10008.1.2.4.70 (process 14, SV1)
  JpegLS,        // 1.2.840.10008.1.2.4.80 (lossless)
  Rle,           // 1.2.840.10008.1.2.5
  J2k            // 1.2.840.10008.1.2.4.90 (lossless only), via OpenJPEG
};

struct Date {
  int year = 2023;
  unsigned month = 1;
  unsigned day = 1;
};

struct GenOptions {
  std::filesystem::path out;
  unsigned studies = 1;
  unsigned seriesPerStudy = 1;
  unsigned instances = 10;
  unsigned rows = 512;
  unsigned cols = 512;
  Modality modality = Modality::CT;
  std::uint64_t seed = 1;
  unsigned patients = 0;  // 0: one patient per study
  Syntax syntax = Syntax::Explicit;
  Date dateFrom{2023, 1, 1};
  unsigned dateDays = 1096;  // ~3 years
  std::string hostile;       // non-empty: write one hostile file of this kind to `out`
  bool quiet = false;
  bool help = false;
  bool listHostile = false;
};

/// Thrown for a bad command line; the message is meant for the user.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

GenOptions parseOptions(int argc, char** argv);
void printUsage(std::ostream& os);

const char* modalityName(Modality m);
Syntax parseSyntax(const std::string& name);
const char* syntaxName(Syntax s);

}  // namespace medvqa::gen
