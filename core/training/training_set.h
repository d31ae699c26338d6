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
  bool excludeHeldout = false;   // drop rows whose phrasing is held out of training
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
  std::string answer;
  std::vector<std::string> sopInstanceUids;  // the image this row shows the model
  std::size_t truthRow = 0;  // 0-based line among the truth rows kept; rows of one question share it
};

struct TrainingSet {
  vqa::TokenizerConfig tokenizer;
  std::vector<vqa::AnswerEntry> answers;
  std::vector<vqa::QuestionType> questionTypes;
  imaging::ImageSpec input;
  imaging::SelectionPolicy selection;

  std::int64_t imageCount = 0;
  std::vector<float> images;  // imageCount x C x H x W
  std::vector<std::int64_t> tokens;  // rows x maxLength
  std::vector<std::int64_t> imageIndex, answer, qtype, heldout;  // one per row
  std::vector<PreparedRow> rows;
};

// The default input of a freshly trained demo model: 1 x 128 x 128, CT in a soft-tissue window
// (center 40, width 400), other modalities min/max, the middle slice of each series.
imaging::ImageSpec defaultInputSpec();
imaging::SelectionPolicy defaultSelection();

// Reads, loads every study once (options.threads at a time), tokenizes. Error(InvalidArgument)
// naming the row for an answer or question type outside the model's lists, or a study without
// any decodable image; Error(NotFound) for a missing truth file, study folder or manifest.
TrainingSet buildTrainingSet(const PrepareOptions& options);

// PREFIX.pt (torch::pickle_save of a Dict[str, Tensor], read by Python's torch.load) and
// PREFIX.json. Error(Io) when a file cannot be written.
void writeTrainingSet(const TrainingSet& set, const std::filesystem::path& prefix);

}  // namespace medvqa::training
