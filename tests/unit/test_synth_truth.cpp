// truth.jsonl says what the files hold: every study it names is a folder of DICOM files of that
// study, and every answer is valid for its question type.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dcdeftag.h>

#include <map>
#include <set>

#include "common/error.h"
#include "synth/findings.h"
#include "synth/out_of_scope_questions.h"
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
  // Per study: its five types, three out-of-scope questions and one of the other kind's types.
  ASSERT_EQ(g.rows.size(), 10u * (5u + kOutOfScopePerStudy + kNotApplicablePerStudy));
  EXPECT_EQ(g.summary.chestStudies, 5u);
  EXPECT_EQ(g.summary.ctStudies, 5u);
  std::map<std::string, std::set<std::string>> typesByStudy;
  std::map<std::string, std::pair<int, int>> refusals;  // study -> unsupported, not applicable
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
    if (row.expect == "unsupported") {
      // An out-of-scope question: no type, no answer, its catalogue id as the phrasing.
      EXPECT_TRUE(row.type.empty()) << row.question;
      EXPECT_TRUE(row.answer.empty()) << row.question;
      EXPECT_FALSE(row.inverse);
      const OutOfScopeQuestion* item = findOutOfScopeQuestion(row.phrasing);
      ASSERT_NE(item, nullptr) << row.phrasing;
      EXPECT_EQ(item->text, row.question);
      EXPECT_EQ(item->heldout, row.heldout);
      ++refusals[row.studyUid].first;
      continue;
    }
    const auto type = parseQuestionType(row.type);
    ASSERT_TRUE(type.has_value()) << row.type;
    const Phrasing* phrasing = findPhrasing(row.phrasing);
    ASSERT_NE(phrasing, nullptr) << row.phrasing;
    EXPECT_EQ(phrasing->type, *type);
    EXPECT_EQ(phrasing->text, row.question);
    EXPECT_EQ(phrasing->heldout, row.heldout);
    EXPECT_EQ(phrasing->inverse, row.inverse);
    if (row.expect == "not_applicable") {
      // A type of the other study kind: refused, never answered.
      EXPECT_NE(toString(kindOf(*type)), row.kind);
      EXPECT_TRUE(row.answer.empty()) << row.question;
      ++refusals[row.studyUid].second;
      continue;
    }
    ASSERT_EQ(row.expect, "answered");
    EXPECT_EQ(toString(kindOf(*type)), row.kind);
    const auto answers = answersFor(*type);
    EXPECT_NE(std::find(answers.begin(), answers.end(), row.answer), answers.end()) << row.type << "=" << row.answer;
    EXPECT_TRUE(typesByStudy[row.studyUid].insert(row.type).second) << "type asked twice: " << row.type;
  }
  for (const auto& [uid, counts] : refusals) {
    EXPECT_EQ(counts.first, static_cast<int>(kOutOfScopePerStudy)) << uid;
    EXPECT_EQ(counts.second, static_cast<int>(kNotApplicablePerStudy)) << uid;
  }
  EXPECT_EQ(refusals.size(), 10u);
  EXPECT_EQ(typesByStudy.size(), 10u);
  for (const auto& [uid, types] : typesByStudy) EXPECT_EQ(types.size(), 5u) << uid;
}

TEST(SynthTruth, AnswersAreTheFindingsTheStudiesWereDrawnWith) {
  const Generated g(8);
  // Study i of an alternating run is the (i / 2)-th of its kind.
  // "study_dir/type" -> the type-level answer (an inverse phrasing's answer as asked, flipped back).
  std::map<std::string, std::string> answers;
  for (const TruthRow& row : g.rows) {
    if (row.expect != "answered") continue;
    answers[row.studyDir + "/" + row.type] = row.inverse ? std::string(flipYesNo(row.answer)) : row.answer;
  }
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
                          "\"answer\":", "\"phrasing\":", "\"heldout\":", "\"inverse\":", "\"expect\":\"answered\""}) {
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

TEST(SynthTruth, InverseRowsCarryTheAnswerAsAsked) {
  const Generated g(40);
  int inverse = 0;
  for (const TruthRow& row : g.rows) {
    if (row.expect != "answered" || !row.inverse) continue;
    ++inverse;
    EXPECT_TRUE(row.answer == "yes" || row.answer == "no") << row.question;
    EXPECT_TRUE(findPhrasing(row.phrasing)->inverse);
  }
  EXPECT_GT(inverse, 10);
}

TEST(SynthTruth, OldTruthFilesReadAsDirectAnsweredRows) {
  // Written before issue 11: no "inverse", no "expect".
  TempDir dir("old-truth");
  std::ofstream(dir.path() / "truth.jsonl")
      << R"({"study_uid":"1.2","study_dir":"study-0001","kind":"ct","type":"liver_lesion","question":"q",)"
      << R"("answer":"yes","phrasing":51,"heldout":false})" << "\n";
  const auto rows = readTruth(dir.path() / "truth.jsonl");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].inverse);
  EXPECT_EQ(rows[0].expect, "answered");

  TruthRow refusal{"1.2", "study-0001", "chest", "", "Describe the findings.", "", 10011001, true, false, "unsupported"};
  std::ofstream(dir.path() / "new.jsonl") << toJsonLine(refusal) << "\n";
  const auto back = readTruth(dir.path() / "new.jsonl");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].expect, "unsupported");
  EXPECT_EQ(back[0].phrasing, 10011001);
  EXPECT_TRUE(back[0].heldout);

  std::ofstream(dir.path() / "bad.jsonl") << R"({"study_uid":"1.2","study_dir":"s","kind":"ct","type":"","question":"q",)"
                                          << R"("answer":"","phrasing":1,"heldout":false,"expect":"refused"})" << "\n";
  try {
    readTruth(dir.path() / "bad.jsonl");
    FAIL() << "an unknown expect was accepted";
  } catch (const medvqa::Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.jsonl:1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("refused"), std::string::npos) << e.what();
  }
}
