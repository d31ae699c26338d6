#pragma once

// `medvqa prepare`: a synthetic set (truth.jsonl + study folders) turned into the tensors that
// models/train/train.py reads (docs/model-format.md, "medvqa prepare output"). Images go through
// core/imaging and questions through core/vqa's Tokenizer: the very code that serves the model.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "imaging/model_image.h"
#include "imaging/study_images.h"
#include "vqa/manifest.h"

namespace medvqa::training {

struct PrepareOptions {
  std::filesystem::path data;  // a folder with truth.jsonl, or the truth file itself
  // A model's manifest whose tokenizer, answers, question types and input are reused (evaluation
  // sets); without it the vocabulary is built from the set's training phrasings.
  std::optional<std::filesystem::path> tokenizerManifest;
  bool excludeHeldout = false;   // drop rows (and text rows) whose phrasing or topic is held out of training
  std::optional<int> inputSize;  // height = width = N instead of the default 128
  int threads = 2;
  // Called after each study is loaded (from the loading threads, serialised).
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// One question row: the question asked about one selected image of a study.
struct PreparedRow {
  std::string studyUid;
  std::string question;
  std::string type;
  std::string answer;   // the type-level answer: an inverse phrasing's truth flipped back
  bool inverse = false;  // the question as asked is of inverse polarity
  std::vector<std::string> sopInstanceUids;  // the image this row shows the model
  std::size_t truthRow = 0;  // 0-based line among the truth rows kept; rows of one question share it
};

// One question of the text set the question-understanding head learns from: every phrasing of
// every type (direct and inverse) and every out-of-scope question (core/synth).
struct TextRow {
  std::string question;
  std::string type;       // the question type's name; empty for an out-of-scope question ("none")
  bool inverse = false;
  std::int64_t group = 0;  // for a validation split: the phrasing id, or 1000000 + the topic id
  bool heldout = false;
  std::string source;      // "phrasing" or "out_of_scope"
  int id = 0;              // the phrasing's id or the out-of-scope item's id
  int topic = 0;           // the out-of-scope topic id; 0 for a phrasing
  std::string category;    // the out-of-scope category ("hard_negative" ...); empty for a phrasing
};

// text_group of an out-of-scope question: kOutOfScopeGroup + its topic id.
inline constexpr std::int64_t kOutOfScopeGroup = 1000000;

struct TrainingSet {
  vqa::TokenizerConfig tokenizer;
  std::vector<vqa::AnswerEntry> answers;
  std::vector<vqa::QuestionType> questionTypes;
  imaging::ImageSpec input;
  imaging::SelectionPolicy selection;

  std::int64_t imageCount = 0;
  std::vector<float> images;  // imageCount x C x H x W
  std::vector<std::int64_t> tokens;  // rows x maxLength
  std::vector<std::int64_t> imageIndex, answer, qtype, heldout, polarity;  // one per row
  std::vector<PreparedRow> rows;

  // Question understanding (manifest format 2).
  std::vector<std::int64_t> canonicalTokens;  // questionTypes x maxLength: each type's canonical question
  std::vector<std::int64_t> textTokens;       // textRows x maxLength
  std::vector<std::int64_t> textType, textPolarity, textGroup, textHeldout;  // one per text row
  std::vector<TextRow> textRows;
};

// The default input of a freshly trained demo model: 1 x 128 x 128, CT in a soft-tissue window
// (center 40, width 400), other modalities min/max, the middle slice of each series.
imaging::ImageSpec defaultInputSpec();
imaging::SelectionPolicy defaultSelection();

// The canonical question of a type: its manifest `question`, or, for a manifest without one
// (format 1), the type's first phrasing in core/synth. Error(InvalidArgument) when neither exists.
std::string canonicalQuestion(const vqa::QuestionType& type);
// Every phrasing and every out-of-scope question, in catalogue order (held-out ones flagged).
std::vector<TextRow> textSet();

// Reads, loads every study once (options.threads at a time), tokenizes. Image rows come from the
// truth rows that expect an answer only (a refusal has no answer to learn); the text set and the
// canonical questions come from core/synth's catalogues. Error(InvalidArgument) naming the row for
// an answer or question type outside the model's lists, or a study without any decodable image;
// Error(NotFound) for a missing truth file, study folder or manifest.
TrainingSet buildTrainingSet(const PrepareOptions& options);

// PREFIX.pt (torch::pickle_save of a Dict[str, Tensor], read by Python's torch.load) and
// PREFIX.json. Error(Io) when a file cannot be written.
void writeTrainingSet(const TrainingSet& set, const std::filesystem::path& prefix);

}  // namespace medvqa::training
