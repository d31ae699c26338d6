#pragma once

// Answers questions about a study: header questions from DICOM attributes, the rest with the
// model on every selected image (through the Batcher, so concurrent callers share batches and a
// study's images are encoded once), combined over images by answer_combiner's rule.

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "imaging/study_images.h"
#include "vqa/answer.h"
#include "vqa/batcher.h"
#include "vqa/model.h"
#include "vqa/question_router.h"
#include "vqa/question_understanding.h"

namespace medvqa::vqa {

struct EngineConfig {
  BatcherConfig batcher;
  std::size_t alternatives = 3;  // top-k alternatives besides the answer
};

class Engine {
 public:
  explicit Engine(std::shared_ptr<const Model> model, EngineConfig config = {},
                  QuestionRouter router = QuestionRouter::defaults());
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The study as this model sees it (the manifest's input spec and selection policy).
  imaging::StudyImages load(const std::filesystem::path& fileOrFolder) const;

  // Every question is understood first (header, a model question type, or unsupported); the
  // answer says whether the engine stands behind it (Answer::status): refusals are answers with
  // a reason, not errors. Error(InvalidArgument) for an empty question, or for a model question
  // on a study without any decoded image / a header question on a study without header.
  // Thread-safe.
  Answer ask(const imaging::StudyImages& study, std::string_view question) const;
  // Standing questions: all submitted at once, so they share batches and the images' features.
  std::vector<Answer> askMany(const imaging::StudyImages& study, std::span<const std::string> questions) const;

  // What each question asks, without answering it (rule questions are checked with it at start).
  std::vector<Understanding> understand(std::span<const std::string> questions) const;

  const Model& model() const;
  const QuestionRouter& router() const;
  Batcher::Stats stats() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace medvqa::vqa
