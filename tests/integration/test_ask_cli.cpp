// `medvqa ask` as a user runs it: a real process on the generated corpus (fixture testdata) with
// the tiny TorchScript model (fixture tiny_model).
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "dicom_files.h"
#include "process.h"

namespace medvqa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kBuild = MEDVQA_BUILD_DIR;
const fs::path kMedvqa = kBuild / "bin" / "medvqa";
const fs::path kTinyModel = kBuild / "testmodels" / "tiny-model";
const fs::path kCt = kBuild / "testdata" / "ct-explicit";
const fs::path kCr = kBuild / "testdata" / "cr-explicit";

RunResult ask(std::vector<std::string> args) {
  args.insert(args.begin(), {kMedvqa.string(), "ask"});
  return run(args, std::chrono::seconds(120));
}

// The JSON object in the output (stdout and stderr are interleaved; the object is the only '{' block).
json jsonOf(const RunResult& result) {
  const auto start = result.output.find('{');
  const auto end = result.output.rfind('}');
  if (start == std::string::npos || end == std::string::npos) return nullptr;
  return json::parse(result.output.substr(start, end - start + 1));
}

class AskCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kMedvqa)) << kMedvqa;
    ASSERT_TRUE(fs::exists(kTinyModel / "manifest.json")) << "fixture tiny_model did not run";
    ASSERT_TRUE(fs::exists(kCt)) << "fixture testdata did not run";
    scratch_ = fs::temp_directory_path() / ("medvqa-ask-" + std::to_string(::getpid()));
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }

  fs::path scratch_;
};

TEST_F(AskCli, HeaderQuestionAsJson) {
  const auto result = ask({kCt.string(), "What's the imaging plane?", "--model", kTinyModel.string(), "--json"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  const auto answer = jsonOf(result);
  EXPECT_EQ(answer["answer"], "axial");
  EXPECT_EQ(answer["source"], "header");
  EXPECT_EQ(answer["confidence"], 1.0);
  EXPECT_EQ(answer["question"], "What's the imaging plane?");
  EXPECT_EQ(answer["code"]["value"], "62824007");
  ASSERT_EQ(answer["evidence"].size(), 1u);
}

TEST_F(AskCli, ModalityFromTheHeader) {
  const auto result = ask({kCr.string(), "Which modality is this?", "--model", kTinyModel.string()});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("CR (confidence 1.00, header)"), std::string::npos) << result.output;
}

TEST_F(AskCli, ModelQuestionAsJson) {
  const auto result = ask({kCt.string(), "How many nodules are there?", "--model", kTinyModel.string(), "--json",
                           "--device", "cpu"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  const auto answer = jsonOf(result);
  EXPECT_EQ(answer["status"], "answered");
  EXPECT_EQ(answer["question_type"], "nodule_count");
  EXPECT_EQ(answer["source"], "model");
  EXPECT_EQ(answer["model"]["name"], "tiny-vqa");
  EXPECT_EQ(answer["model"]["version"], "0.0.1");
  EXPECT_GE(answer["confidence"].get<double>(), 0.0);
  EXPECT_LE(answer["confidence"].get<double>(), 1.0);
  EXPECT_EQ(answer["alternatives"].size(), 3u);
  // ct-explicit: 2 series of 3 slices; the tiny manifest selects 3 evenly spaced slices per series.
  EXPECT_GE(answer["evidence"].size(), 2u);
  for (const auto& uid : answer["evidence"]) EXPECT_FALSE(uid.get<std::string>().empty());
}

// Refusals are outcomes, not errors: exit 0, the reason on stdout, never an "answer".
TEST_F(AskCli, RefusalsExitZeroWithTheirReason) {
  auto result = ask({kCr.string(), "asdf qwer zxcv?", "--model", kTinyModel.string()});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("unsupported: not a question tiny-vqa 0.0.1 answers"), std::string::npos)
      << result.output;
  result = ask({kCr.string(), "Is there a liver lesion?", "--model", kTinyModel.string(), "--json"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  const auto answer = jsonOf(result);
  EXPECT_EQ(answer["status"], "not_applicable");
  EXPECT_EQ(answer["question_type"], "liver_lesion");
  EXPECT_FALSE(answer.contains("answer"));
  EXPECT_NE(answer["reason"].get<std::string>().find("the liver"), std::string::npos) << answer.dump(2);
  result = ask({kCr.string(), "Is there a pleural effusion?", "--model", (kBuild / "testmodels" / "tiny-model-strict").string(),
                "--json"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_EQ(jsonOf(result)["status"], "uncertain") << result.output;
  EXPECT_TRUE(jsonOf(result).contains("best_guess"));
  EXPECT_FALSE(jsonOf(result).contains("answer"));
}

// A format-1 model still loads and answers, unscreened, as before question understanding.
TEST_F(AskCli, AFormatOneModelAnswersUnscreened) {
  const auto result = ask({kCr.string(), "asdf qwer zxcv?", "--model", (kBuild / "testmodels" / "tiny-model-v1").string(),
                           "--json"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  const auto answer = jsonOf(result);
  EXPECT_EQ(answer["status"], "answered");
  EXPECT_FALSE(answer.contains("question_type"));
}

TEST_F(AskCli, PlainOutputIsOneLine) {
  const auto result = ask({kCr.string(), "How many nodules are there?", "--model", kTinyModel.string()});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_TRUE(std::regex_search(result.output, std::regex(R"((^|\n)\S+ \(confidence [01]\.\d\d, model\)\n)")))
      << result.output;
}

TEST_F(AskCli, SingleFileWorks) {
  const auto file = filesUnder(kCr).front();
  const auto result = ask({file.string(), "Is there a pleural effusion?", "--model", kTinyModel.string(), "--json"});
  ASSERT_EQ(result.exitCode, 0) << result.output;
  EXPECT_EQ(jsonOf(result)["evidence"].size(), 1u);
}

TEST_F(AskCli, ClearErrors) {
  struct Case {
    std::vector<std::string> args;
    int exitCode;
    std::string message;
  };
  std::ofstream(scratch_ / "notes.txt") << "not a DICOM file\n";
  // A CT instance whose pixel data is far too short to decode.
  const auto broken = scratch_ / "broken.dcm";
  {
    DcmFileFormat file;
    ASSERT_TRUE(file.loadFile(filesUnder(kCt).front().c_str()).good());
    const Uint8 few[4] = {1, 2, 3, 4};
    file.getDataset()->putAndInsertUint8Array(DCM_PixelData, few, 4);
    ASSERT_TRUE(file.saveFile(broken.c_str(), EXS_LittleEndianExplicit).good());
  }
  fs::create_directories(scratch_ / "bad-model");
  std::ofstream(scratch_ / "bad-model" / "manifest.json") << R"({"format": 1, "name": "x"})";
  const std::string model = kTinyModel.string();
  const std::vector<Case> cases = {
      {{(scratch_ / "missing.dcm").string(), "Is there an effusion?", "--model", model}, 1, "no such file"},
      {{(scratch_ / "notes.txt").string(), "Is there an effusion?", "--model", model}, 1, "notes.txt"},
      {{broken.string(), "Is there an effusion?", "--model", model}, 1, "broken.dcm"},
      {{kCt.string(), "  ", "--model", model}, 1, "question is empty"},
      {{kCt.string(), "Is there an effusion?", "--model", (scratch_ / "nowhere").string()}, 1, "model folder not found"},
      {{kCt.string(), "Is there an effusion?", "--model", (scratch_ / "bad-model").string()}, 1, "version: missing"},
      {{kCt.string(), "Is there an effusion?", "--model", model, "--device", "tpu"}, 2, "device"},
      {{kCt.string()}, 2, "expected PATH and QUESTION"},
  };
  for (const auto& c : cases) {
    const auto result = ask(c.args);
    EXPECT_EQ(result.exitCode, c.exitCode) << c.message << "\n" << result.output;
    EXPECT_NE(result.output.find(c.message), std::string::npos) << result.output;
  }
}

TEST_F(AskCli, HelpDocumentsTheDefaultModel) {
  const auto result = ask({"--help"});
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_NE(result.output.find("models/demo"), std::string::npos);
}

}  // namespace
}  // namespace medvqa::test
