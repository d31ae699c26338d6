// truth.jsonl says what the files hold: every study it names is a folder of DICOM files of that
// study, and every answer is valid for its question type.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include <map>
#include <set>

#include "common/error.h"
#include "synth/findings.h"
#include "synth/question_templates.h"
#include "synth/study_questions.h"
#include "synth/synth.h"
#include "synth/truth_file.h"
#include "synth_test_support.h"

using namespace medvqa::synth;
using namespace synth_test;

namespace {

struct Generated {
  TempDir dir{"truth"};
  SynthSummary summary;
  std::vector<TruthRow> rows;
  explicit Generated(unsigned studies, std::vector<StudyKind> kinds = {StudyKind::Chest, StudyKind::Ct}) {
    SynthOptions o;
    o.out = dir.path() / "set";
    o.studies = studies;
    o.seed = 2024;
    o.kinds = std::move(kinds);
    summary = generateDataset(o);
    rows = readTruth(o.out / "truth.jsonl");
  }
  fs::path set() const { return dir.path() / "set"; }
};

}  // namespace

TEST(SynthTruth, EveryRowNamesAFolderOfThatStudyAndAValidAnswer) {
  const Generated g(10);
  ASSERT_EQ(g.rows.size(), 10u * 5u);
  EXPECT_EQ(g.summary.chestStudies, 5u);
  EXPECT_EQ(g.summary.ctStudies, 5u);
  std::map<std::string, std::set<std::string>> typesByStudy;
  for (const TruthRow& row : g.rows) {
    const fs::path folder = g.set() / row.studyDir;
    ASSERT_TRUE(fs::is_directory(folder)) << row.studyDir;
    const auto files = filesUnder(folder);
    ASSERT_FALSE(files.empty());
    for (const fs::path& f : files) {
      EXPECT_EQ(attribute(f, DCM_StudyInstanceUID), row.studyUid) << f;
      const std::string modality = attribute(f, DCM_Modality);
      if (row.kind == "chest") EXPECT_TRUE(modality == "CR" || modality == "DX") << f;
      else EXPECT_EQ(modality, "CT") << f;
    }
    const auto type = parseQuestionType(row.type);
    ASSERT_TRUE(type.has_value()) << row.type;
    EXPECT_EQ(toString(kindOf(*type)), row.kind);
    const auto answers = answersFor(*type);
    EXPECT_NE(std::find(answers.begin(), answers.end(), row.answer), answers.end()) << row.type << "=" << row.answer;
    const Phrasing* phrasing = findPhrasing(row.phrasing);
    ASSERT_NE(phrasing, nullptr) << row.phrasing;
    EXPECT_EQ(phrasing->type, *type);
    EXPECT_EQ(phrasing->text, row.question);
    EXPECT_EQ(phrasing->heldout, row.heldout);
    EXPECT_TRUE(typesByStudy[row.studyUid].insert(row.type).second) << "type asked twice: " << row.type;
  }
  EXPECT_EQ(typesByStudy.size(), 10u);
  for (const auto& [uid, types] : typesByStudy) EXPECT_EQ(types.size(), 5u) << uid;
}

TEST(SynthTruth, AnswersAreTheFindingsTheStudiesWereDrawnWith) {
  const Generated g(8);
  // Study i of an alternating run is the (i / 2)-th of its kind.
  std::map<std::string, std::string> answers;  // "study_dir/type" -> answer
  for (const TruthRow& row : g.rows) answers[row.studyDir + "/" + row.type] = row.answer;
  for (unsigned i = 0; i < 8; ++i) {
    char dir[32];
    std::snprintf(dir, sizeof dir, "study-%04u", i + 1);
    if (i % 2 == 0) {
      const ChestFindings f = drawChestFindings(2024, i / 2);
      for (const QuestionType t : typesFor(StudyKind::Chest)) EXPECT_EQ(answers.at(std::string(dir) + "/" + std::string(toString(t))), answerFor(t, f));
    } else {
      const CtFindings f = drawCtFindings(2024, i / 2);
      for (const QuestionType t : typesFor(StudyKind::Ct)) EXPECT_EQ(answers.at(std::string(dir) + "/" + std::string(toString(t))), answerFor(t, f));
    }
  }
}

TEST(SynthTruth, LinesCarryTheDocumentedKeysInOrder) {
  const Generated g(1, {StudyKind::Ct});
  const std::string text = readBytes(g.set() / "truth.jsonl");
  const std::string firstLine = text.substr(0, text.find('\n'));
  std::size_t at = 0;
  for (const char* key : {"\"study_uid\":", "\"study_dir\":\"study-0001\"", "\"kind\":\"ct\"", "\"type\":", "\"question\":",
                          "\"answer\":", "\"phrasing\":", "\"heldout\":"}) {
    const std::size_t found = firstLine.find(key, at);
    ASSERT_NE(found, std::string::npos) << key << " in " << firstLine;
    at = found;
  }
  EXPECT_FALSE(fs::exists(g.set() / "truth.jsonl.part"));
}

TEST(SynthTruth, OnlyTheRequestedKindsAreWritten) {
  const Generated g(3, {StudyKind::Ct});
  EXPECT_EQ(g.summary.chestStudies, 0u);
  EXPECT_EQ(g.summary.ctStudies, 3u);
  for (const TruthRow& row : g.rows) EXPECT_EQ(row.kind, "ct");
}

TEST(SynthTruth, RefusesANonEmptyFolderAndZeroStudies) {
  TempDir dir("refuse");
  std::ofstream(dir.path() / "something") << "x";
  SynthOptions o;
  o.out = dir.path();
  o.studies = 1;
  try {
    generateDataset(o);
    FAIL() << "a non-empty folder was accepted";
  } catch (const medvqa::Error& e) {
    EXPECT_EQ(e.code(), medvqa::ErrorCode::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("not empty"), std::string::npos) << e.what();
  }
  o.out = dir.path() / "fresh";
  o.studies = 0;
  EXPECT_THROW(generateDataset(o), medvqa::Error);
  o.studies = 1;
  o.kinds.clear();
  EXPECT_THROW(generateDataset(o), medvqa::Error);
}

TEST(SynthTruth, ReadTruthNamesTheBadLine) {
  TempDir dir("bad-truth");
  std::ofstream(dir.path() / "truth.jsonl") << toJsonLine({"1.2", "study-0001", "ct", "liver_lesion", "q", "yes", 51, false})
                                            << "\n{\"study_uid\": 3}\n";
  try {
    readTruth(dir.path() / "truth.jsonl");
    FAIL() << "a malformed line was accepted";
  } catch (const medvqa::Error& e) {
    EXPECT_NE(std::string(e.what()).find("truth.jsonl:2"), std::string::npos) << e.what();
  }
}
