#include "training/training_set.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "common/error.h"
#include "synth/out_of_scope_questions.h"
#include "synth/question_templates.h"
#include "training/demo_schema.h"
#include "training/parallel.h"
#include "training/truth_file.h"
#include "vqa/tokenizer.h"

namespace medvqa::training {

namespace {

// Long enough for the longest phrasing's words and trigrams (~70 ids): at the runtime's default of
// 48, "... on the left, on the right, or on both sides?" loses its last words.
constexpr int kDemoMaxLength = 96;

[[noreturn]] void failRow(std::size_t row, const TruthRow& truth, const std::string& what) {
  throw Error(ErrorCode::InvalidArgument,
              "truth row " + std::to_string(row + 1) + " (" + truth.studyDir + ", \"" + truth.question + "\"): " + what);
}

constexpr std::string_view kAnswered = "answered";
constexpr std::string_view kUnsupported = "unsupported";
constexpr std::string_view kNonsense = "nonsense";  // synth::toString(OutOfScopeCategory::Nonsense)

// Fills everything but the tensors: from the manifest when one is given, else the demo schema
// with a vocabulary built from the words the model trains on: the set's training phrasings and
// the text set's training questions (never a held-out phrasing, topic or wording). Nonsense
// strings are left out: a random string is never a word the model knows, so the nonsense it
// trains on reads as unknown words and n-grams, exactly as a new random string will.
// (The set's out-of-scope rows are items of the text set, so they add no word of their own.)
void describeModel(const PrepareOptions& options, const std::vector<TruthRow>& truth,
                   const std::vector<TextRow>& text, TrainingSet& set) {
  if (options.tokenizerManifest) {
    const auto manifest = vqa::loadManifest(*options.tokenizerManifest);
    set.tokenizer = manifest.tokenizer;
    set.answers = manifest.answers;
    set.questionTypes = manifest.questionTypes;
    set.input = manifest.input;
    set.selection = manifest.selection;
    return;
  }
  const auto schema = demoSchema();
  set.answers = schema.answers;
  set.questionTypes = schema.questionTypes;
  set.input = defaultInputSpec();
  if (options.inputSize) set.input.height = set.input.width = *options.inputSize;
  imaging::validate(set.input);
  set.selection = defaultSelection();
  std::vector<std::string> questions;
  for (const auto& row : truth) {
    if (!row.heldout && row.expect != kUnsupported) questions.push_back(row.question);
  }
  for (const auto& row : text) {
    if (!row.heldout && row.category != kNonsense) questions.push_back(row.question);
  }
  vqa::TokenizerConfig base;
  base.maxLength = kDemoMaxLength;
  set.tokenizer = vqa::Tokenizer::buildVocabulary(questions, base).config();
}

// Each study folder once, in order of first appearance.
std::vector<std::string> distinctStudies(const std::vector<TruthRow>& truth) {
  std::vector<std::string> dirs;
  std::unordered_map<std::string, std::size_t> seen;
  for (const auto& row : truth) {
    if (row.expect != kAnswered) continue;  // a study is loaded for the questions it answers
    if (seen.emplace(row.studyDir, dirs.size()).second) dirs.push_back(row.studyDir);
  }
  return dirs;
}

std::vector<imaging::StudyImages> loadStudies(const PrepareOptions& options, const std::vector<std::string>& dirs,
                                              const TrainingSet& set) {
  const auto root = dataFolderOf(options.data);
  std::vector<imaging::StudyImages> studies(dirs.size());
  std::mutex progressMutex;
  std::size_t done = 0;
  parallelFor(dirs.size(), options.threads, [&](std::size_t i) {
    const auto folder = root / dirs[i];
    if (!std::filesystem::exists(folder)) throw Error(ErrorCode::NotFound, "no study folder " + folder.string());
    studies[i] = imaging::loadStudy(folder, set.input, set.selection);
    if (studies[i].images.empty()) {
      const auto reason = studies[i].skipped.empty() ? std::string("no image instance")
                                                     : studies[i].skipped.front().reason;
      throw Error(ErrorCode::InvalidArgument, "study " + folder.string() + " has no usable image: " + reason);
    }
    if (options.progress) {
      const std::lock_guard lock(progressMutex);
      options.progress(++done, dirs.size());
    }
  });
  return studies;
}

// Appends the studies' images; returns the row of `images` where each study's first image is.
std::vector<std::int64_t> appendImages(std::vector<imaging::StudyImages>& studies, TrainingSet& set) {
  const auto pixels = static_cast<std::size_t>(set.input.channels * set.input.height * set.input.width);
  std::vector<std::int64_t> first;
  for (auto& study : studies) {
    first.push_back(set.imageCount);
    for (auto& image : study.images) {
      if (image.pixels.size() != pixels) throw Error(ErrorCode::InvalidArgument, "image of unexpected size in " + study.studyInstanceUid);
      set.images.insert(set.images.end(), image.pixels.begin(), image.pixels.end());
      std::vector<float>().swap(image.pixels);  // the copy in `set` is the one kept
      ++set.imageCount;
    }
  }
  return first;
}

template <typename Entry>
std::unordered_map<std::string, std::int64_t> indexByName(const std::vector<Entry>& entries, std::string Entry::*name) {
  std::unordered_map<std::string, std::int64_t> index;
  for (std::size_t i = 0; i < entries.size(); ++i) index.emplace(entries[i].*name, static_cast<std::int64_t>(i));
  return index;
}

void appendRows(const std::vector<TruthRow>& truth, const std::vector<std::string>& dirs,
                const std::vector<imaging::StudyImages>& studies, const std::vector<std::int64_t>& firstImage,
                TrainingSet& set) {
  const vqa::Tokenizer tokenizer(set.tokenizer);
  const auto answerIndex = indexByName(set.answers, &vqa::AnswerEntry::text);
  const auto typeIndex = indexByName(set.questionTypes, &vqa::QuestionType::name);
  std::unordered_map<std::string, std::size_t> studyIndex;
  for (std::size_t i = 0; i < dirs.size(); ++i) studyIndex.emplace(dirs[i], i);

  for (std::size_t r = 0; r < truth.size(); ++r) {
    const auto& row = truth[r];
    // Refusals (out of scope, not applicable) have no answer for the answer head to learn; the
    // understanding head learns them from the text set.
    if (row.expect != kAnswered) continue;
    // The answer head is always asked the type's own (direct) question: an inverse phrasing's
    // truth, which answers the question as asked, is flipped back.
    const std::string typeAnswer = row.inverse ? std::string(synth::flipYesNo(row.answer)) : row.answer;
    const auto answer = answerIndex.find(typeAnswer);
    if (answer == answerIndex.end()) failRow(r, row, "answer \"" + row.answer + "\" is not in the model's answers");
    const auto type = typeIndex.find(row.type);
    if (type == typeIndex.end()) failRow(r, row, "question type \"" + row.type + "\" is not one the model knows");
    const auto tokens = tokenizer.encode(row.question);
    const auto s = studyIndex.at(row.studyDir);
    const auto& images = studies[s].images;
    for (std::size_t i = 0; i < images.size(); ++i) {
      set.tokens.insert(set.tokens.end(), tokens.begin(), tokens.end());
      set.imageIndex.push_back(firstImage[s] + static_cast<std::int64_t>(i));
      set.answer.push_back(answer->second);
      set.qtype.push_back(type->second);
      set.heldout.push_back(row.heldout ? 1 : 0);
      set.polarity.push_back(row.inverse ? 1 : 0);
      set.rows.push_back({row.studyUid, row.question, row.type, typeAnswer, row.inverse, {images[i].sopInstanceUid}, r});
    }
  }
}

void appendCanonicalQuestions(TrainingSet& set) {
  const vqa::Tokenizer tokenizer(set.tokenizer);
  for (const auto& type : set.questionTypes) {
    const auto tokens = tokenizer.encode(canonicalQuestion(type));
    set.canonicalTokens.insert(set.canonicalTokens.end(), tokens.begin(), tokens.end());
  }
}

// The text set, less the phrasings of types the model does not have (a model of other types is
// not asked about ours: they are neither its questions nor "none of these" for it).
void appendTextRows(std::vector<TextRow> text, TrainingSet& set) {
  const vqa::Tokenizer tokenizer(set.tokenizer);
  const auto typeIndex = indexByName(set.questionTypes, &vqa::QuestionType::name);
  const auto none = static_cast<std::int64_t>(set.questionTypes.size());
  for (auto& row : text) {
    std::int64_t type = none;
    if (!row.type.empty()) {
      const auto found = typeIndex.find(row.type);
      if (found == typeIndex.end()) continue;
      type = found->second;
    }
    const auto tokens = tokenizer.encode(row.question);
    set.textTokens.insert(set.textTokens.end(), tokens.begin(), tokens.end());
    set.textType.push_back(type);
    set.textPolarity.push_back(row.inverse ? 1 : 0);
    set.textGroup.push_back(row.group);
    set.textHeldout.push_back(row.heldout ? 1 : 0);
    set.textRows.push_back(std::move(row));
  }
}

}  // namespace

std::string canonicalQuestion(const vqa::QuestionType& type) {
  if (!type.question.empty()) return type.question;
  const auto synthType = synth::parseQuestionType(type.name);
  if (!synthType) {
    throw Error(ErrorCode::InvalidArgument, "question type \"" + type.name + "\" has no canonical question");
  }
  return std::string(synth::canonicalPhrasing(*synthType).text);
}

std::vector<TextRow> textSet() {
  std::vector<TextRow> rows;
  for (const synth::Phrasing& p : synth::allPhrasings()) {
    rows.push_back({std::string(p.text), std::string(synth::toString(p.type)), p.inverse, p.id, p.heldout, "phrasing",
                    p.id, 0, ""});
  }
  for (const synth::OutOfScopeQuestion& q : synth::outOfScopeQuestions()) {
    rows.push_back({q.text, "", false, kOutOfScopeGroup + q.topic, q.heldout, "out_of_scope", q.id, q.topic,
                    std::string(synth::toString(q.category))});
  }
  return rows;
}

imaging::ImageSpec defaultInputSpec() {
  imaging::ImageSpec spec;
  spec.windowByModality["CT"] = {40.0, 400.0};
  return spec;
}

imaging::SelectionPolicy defaultSelection() { return {}; }

TrainingSet buildTrainingSet(const PrepareOptions& options) {
  if (options.tokenizerManifest && options.inputSize) {
    throw Error(ErrorCode::InvalidArgument, "--input-size cannot change the input of an existing model's manifest");
  }
  auto truth = readTruthFile(options.data);
  auto text = textSet();
  TrainingSet set;
  describeModel(options, truth, text, set);
  if (options.excludeHeldout) {
    std::erase_if(truth, [](const TruthRow& row) { return row.heldout; });
    std::erase_if(text, [](const TextRow& row) { return row.heldout; });
  }
  if (std::none_of(truth.begin(), truth.end(), [](const TruthRow& row) { return row.expect == kAnswered; })) {
    throw Error(ErrorCode::InvalidArgument, "no answered truth rows to prepare in " + options.data.string());
  }

  const auto dirs = distinctStudies(truth);
  auto studies = loadStudies(options, dirs, set);
  const auto firstImage = appendImages(studies, set);
  appendRows(truth, dirs, studies, firstImage, set);
  appendCanonicalQuestions(set);
  appendTextRows(std::move(text), set);
  return set;
}

}  // namespace medvqa::training
