// `medvqa synth` end to end: the real binary writes studies that an independent validator
// (dicom3tools' dciodvfy) finds free of errors against the CR, DX and CT Image IODs, and it
// refuses bad arguments with a usage error.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include <map>
#include <sstream>

#include "dicom_files.h"
#include "node_under_test.h"

namespace fs = std::filesystem;
using namespace medvqa::test;

namespace {

RunResult synth(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {buildBin("medvqa").string(), "synth"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, std::chrono::seconds(120));
}

int errorLines(const std::string& output) {
  std::istringstream lines(output);
  int errors = 0;
  for (std::string line; std::getline(lines, line);) errors += line.rfind("Error", 0) == 0 ? 1 : 0;
  return errors;
}

}  // namespace

TEST(SynthIod, ChestAndCtFilesPassDciodvfyWithoutErrors) {
  TempDir out("synth-iod");
  const RunResult r = synth({"--out", (out.path() / "set").string(), "--studies", "16", "--seed", "8"});
  ASSERT_EQ(r.exitCode, 0) << r.output;
  // One file per IOD the generator writes: the validator names the IOD it checked against.
  std::map<std::string, fs::path> byIod;  // dciodvfy's IOD name -> file
  for (const fs::path& f : filesUnder(out.path() / "set")) {
    if (f.extension() != ".dcm") continue;
    const std::string modality = attribute(f, DCM_Modality);
    const std::string iod = modality == "CR" ? "CRImage" : modality == "DX" ? "DXImageForPresentation" : "CTImage";
    byIod.emplace(iod, f);
  }
  ASSERT_EQ(byIod.size(), 3u) << "16 studies should hold CR, DX and CT files";
  for (const auto& [iod, file] : byIod) {
    const RunResult v = run({"dciodvfy", file.string()}, std::chrono::seconds(60));
    EXPECT_NE(v.output.find(iod), std::string::npos) << "dciodvfy did not check " << file << " as " << iod << ":\n"
                                                      << v.output;
    EXPECT_EQ(errorLines(v.output), 0) << file << ":\n" << v.output;
  }
}

TEST(SynthIod, CommandLineRefusesBadArgumentsWithAUsageError) {
  TempDir out("synth-cli");
  const std::string dir = (out.path() / "set").string();
  // A few representative refusals: each run of the binary pays LibTorch's start-up (~1-3 s).
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--studies", "2", "--seed", "1"}, "--out is required"},
      {{"--out", dir, "--studies", "two", "--seed", "1"}, "--studies: not a non-negative integer"},
      {{"--out", dir, "--studies", "1", "--seed", "1", "--kinds", "chest,mri"}, "unknown kind 'mri'"},
      {{"--out", dir, "--studies", "1", "--seed", "1", "--bogus"}, "unknown option '--bogus'"},
  };
  for (const auto& [args, message] : cases) {
    const RunResult r = synth(args);
    EXPECT_EQ(r.exitCode, 2) << message << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("usage: medvqa synth"), std::string::npos) << r.output;
  }
  EXPECT_FALSE(fs::exists(dir)) << "a refused command wrote something";

  const RunResult help = synth({"--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.output.find("--kinds"), std::string::npos) << help.output;

  ASSERT_EQ(synth({"--out", dir, "--studies", "1", "--seed", "1", "--kinds", "ct"}).exitCode, 0);
  const RunResult again = synth({"--out", dir, "--studies", "1", "--seed", "1"});
  EXPECT_EQ(again.exitCode, 2) << again.output;
  EXPECT_NE(again.output.find("not empty"), std::string::npos) << again.output;
}
