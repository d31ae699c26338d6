// The answer SR as other tools see it: dicom3tools' dciodvfy finds no error in it, DCMTK's
// dsrdump prints it, and `medvqa sr-json` reads back exactly the answers that were written.
#include <dcmtk/dcmdata/dcuid.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "node_under_test.h"
#include "process.h"
#include "sr/sr_reader.h"
#include "sr/sr_writer.h"
#include "sr_fixtures.h"

namespace fs = std::filesystem;
namespace fix = medvqa::test::srfix;
using namespace medvqa;
using medvqa::test::run;

namespace {

// dciodvfy warns about any private coding scheme designator, even one declared in the Coding
// Scheme Identification Sequence (PS3.16 has no concept for a question or its answer).
constexpr const char* kAcceptedWarning = "Unrecognized defined term <99MEDVQA>";

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

struct Scenario {
  std::string name;
  std::vector<std::unique_ptr<DcmDataset>> study;
  sr::ReportRequest request;
};

Scenario ctStudyReanswered() {
  Scenario s{"ct-reanswered", fix::makeCtStudy(), {}};
  s.request = fix::sampleRequest(s.study);
  s.request.predecessor = sr::InstanceReference{fix::kStudyUid, "2.25.4711", UID_ComprehensiveSRStorage, "2.25.4712"};
  return s;
}

// A chest radiograph, header answers only, two questions unanswered: PARTIAL.
Scenario chestRadiographPartial() {
  Scenario s{"cr-partial", {}, {}};
  s.study.push_back(fix::makeHeader("2.25.600", "2.25.600.1", UID_ComputedRadiographyImageStorage, "CR"));
  s.request = fix::sampleRequest(s.study);
  auto modality = fix::sampleAnswers().front();
  modality.text = "CR";
  modality.code = vqa::Code{"CR", "DCM", "Computed Radiography"};
  modality.sopInstanceUids = {"2.25.600.1"};
  s.request.answers = {modality};
  s.request.complete = false;
  s.request.completionNote = "2 of 3 questions not answered";
  return s;
}

// A Latin-1 source and German answers: the SR is UTF-8 throughout.
Scenario latin1SourceGermanAnswers() {
  Scenario s{"latin1-utf8", fix::makeCtStudy(), {}};
  for (auto& image : s.study) {
    image->putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
    image->putAndInsertString(DCM_PatientName, "M\xDCLLER^J\xD6RG");
  }
  s.request = fix::sampleRequest(s.study);
  auto answer = fix::modelAnswer("Gibt es einen Pleuraerguss?", "ja", 0.8);
  answer.code = vqa::Code{"373066001", "SCT", "Yes"};
  answer.alternatives = {{"nein", 0.2}};
  answer.sopInstanceUids = {fix::ctSopUid(1)};
  s.request.answers.push_back(answer);
  return s;
}

std::vector<Scenario> scenarios() {
  std::vector<Scenario> all;
  all.push_back(ctStudyReanswered());
  all.push_back(chestRadiographPartial());
  all.push_back(latin1SourceGermanAnswers());
  return all;
}

// `medvqa ARGS...` with stdout alone in a file (DCMTK may log to stderr while reading).
std::pair<int, std::string> medvqaStdout(const std::vector<std::string>& args, const fs::path& out) {
  std::vector<std::string> argv = {"/bin/sh", "-c",         "out=\"$1\"; shift; exec \"$@\" > \"$out\"",
                                   "sh",      out.string(), test::buildBin("medvqa").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto result = run(argv);
  return {result.exitCode, test::readFile(out)};
}

class SrValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(test::buildBin("medvqa"))) GTEST_FAIL() << "build the medvqa target first";
  }
  fix::TempFolder dir_;
};

TEST_F(SrValidation, DciodvfyReportsNoError) {
  for (auto& scenario : scenarios()) {
    const fs::path file = dir_.path() / (scenario.name + ".dcm");
    sr::saveReport(*sr::writeReport(scenario.request), file);
    const auto result = run({"dciodvfy", file.string()});
    int warnings = 0;
    for (const auto& line : lines(result.output)) {
      EXPECT_EQ(line.find("Error"), std::string::npos) << scenario.name << ": " << line;
      if (line.find("Warning") == std::string::npos) continue;
      ++warnings;
      EXPECT_NE(line.find(kAcceptedWarning), std::string::npos) << scenario.name << ": unexpected " << line;
    }
    EXPECT_NE(result.output.find("ComprehensiveSR"), std::string::npos) << result.output;
    RecordProperty(scenario.name + "_dciodvfy_warnings", warnings);
  }
}

TEST_F(SrValidation, DsrdumpPrintsIt) {
  for (auto& scenario : scenarios()) {
    const fs::path file = dir_.path() / (scenario.name + ".dcm");
    sr::saveReport(*sr::writeReport(scenario.request), file);
    const auto result = run({"dsrdump", file.string()});
    EXPECT_EQ(result.exitCode, 0) << scenario.name << "\n" << result.output;
    EXPECT_NE(result.output.find("Comprehensive SR Document"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("Imaging Measurement Report"), std::string::npos) << result.output;
    for (const auto& answer : scenario.request.answers) {
      EXPECT_NE(result.output.find(answer.question), std::string::npos) << scenario.name << ": " << answer.question;
    }
  }
}

TEST_F(SrValidation, SrJsonPrintsTheWrittenAnswers) {
  for (auto& scenario : scenarios()) {
    const fs::path file = dir_.path() / (scenario.name + ".dcm");
    sr::saveReport(*sr::writeReport(scenario.request), file);
    const auto [status, printed] = medvqaStdout({"sr-json", file.string()}, dir_.path() / "out.json");
    ASSERT_EQ(status, 0) << scenario.name;
    const nlohmann::json expected = sr::ReportAnswers{fix::kStudyUid, scenario.request.answers};
    EXPECT_EQ(nlohmann::json::parse(printed), expected) << scenario.name << "\n" << printed;
  }
}

TEST_F(SrValidation, SrJsonRefusesWhatIsNotAMedvqaSr) {
  const fs::path image = dir_.path() / "image.dcm";
  {
    const auto header = fix::makeHeader(fix::kCtSeriesUid, fix::ctSopUid(1));
    sr::saveReport(*header, image);
  }
  std::ofstream(dir_.path() / "text.dcm") << "plain text\n";
  const std::vector<std::pair<fs::path, std::string>> cases = {
      {dir_.path() / "absent.dcm", "no such file"},
      {dir_.path() / "text.dcm", "not a readable DICOM file"},
      {image, "not a Comprehensive SR"},
  };
  for (const auto& [file, message] : cases) {
    const auto result = run({test::buildBin("medvqa").string(), "sr-json", file.string()});
    EXPECT_EQ(result.exitCode, 1) << file << "\n" << result.output;
    EXPECT_NE(result.output.find("medvqa sr-json: "), std::string::npos) << result.output;
    EXPECT_NE(result.output.find(message), std::string::npos) << result.output;
  }
  EXPECT_EQ(run({test::buildBin("medvqa").string(), "sr-json"}).exitCode, 2);
  const auto help = run({test::buildBin("medvqa").string(), "sr-json", "--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.output.find("usage: medvqa sr-json FILE"), std::string::npos);
}

}  // namespace
