#include "vqa/engine.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "metrics/metrics.h"
#include "vqa/answer_combiner.h"
#include "vqa/feature_cache.h"
#include "vqa/header_answers.h"

namespace medvqa::vqa {

namespace {

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

// The study's images as the batcher takes them: pixels shared by every question about the study.
std::vector<ImageInput> shareImages(const imaging::StudyImages& study) {
  std::vector<ImageInput> images;
  images.reserve(study.images.size());
  for (const auto& image : study.images) {
    images.push_back({FeatureCache::key(image.sopInstanceUid, image.frame),
                      std::make_shared<const std::vector<float>>(image.pixels)});
  }
  return images;
}

// A model question in flight: one future per image.
struct Pending {
  std::size_t slot;  // position in the answers
  std::vector<std::future<Probabilities>> perImage;
};

}  // namespace

struct Engine::Impl {
  std::shared_ptr<const Model> model;
  EngineConfig config;
  QuestionRouter router;
  Batcher batcher;

  Impl(std::shared_ptr<const Model> m, EngineConfig c, QuestionRouter r)
      : model(std::move(m)), config(c), router(std::move(r)), batcher(model, config.batcher) {}

  Answer headerAnswer(const imaging::StudyImages& study, HeaderAttribute attribute, const std::string& question) const {
    if (!study.header) {
      throw Error(ErrorCode::InvalidArgument, "no DICOM image instance to read the header of for \"" + question + "\"");
    }
    return answerFromHeader(attribute, *study.header, question);
  }

  Pending submit(const std::vector<ImageInput>& images, const std::string& question, std::size_t slot) {
    const auto tokens = model->tokenizer().encode(question);
    Pending pending{slot, {}};
    for (const auto& image : images) pending.perImage.push_back(batcher.submit(image, tokens));
    return pending;
  }

  Answer collect(const imaging::StudyImages& study, const std::string& question, Pending& pending) const {
    std::vector<Probabilities> rows;
    for (auto& future : pending.perImage) rows.push_back(future.get());
    const auto& manifest = model->manifest();
    const auto combined = combineAnswers(manifest.answers, rows, config.alternatives);
    Answer answer;
    answer.question = question;
    answer.text = manifest.answers[combined.best.index].text;
    answer.code = manifest.answers[combined.best.index].code;
    answer.confidence = combined.best.confidence;
    for (const auto& alternative : combined.alternatives) {
      answer.alternatives.push_back({manifest.answers[alternative.index].text, alternative.confidence});
    }
    answer.source = AnswerSource::Model;
    answer.modelName = manifest.name;
    answer.modelVersion = manifest.version;
    for (const auto& image : study.images) {
      if (std::find(answer.sopInstanceUids.begin(), answer.sopInstanceUids.end(), image.sopInstanceUid) ==
          answer.sopInstanceUids.end()) {
        answer.sopInstanceUids.push_back(image.sopInstanceUid);
      }
    }
    return answer;
  }
};

Engine::Engine(std::shared_ptr<const Model> model, EngineConfig config, QuestionRouter router) {
  if (!model) throw Error(ErrorCode::InvalidArgument, "engine: no model");
  impl_ = std::make_unique<Impl>(std::move(model), config, std::move(router));
}

Engine::~Engine() = default;

imaging::StudyImages Engine::load(const std::filesystem::path& fileOrFolder) const {
  const auto& manifest = impl_->model->manifest();
  return imaging::loadStudy(fileOrFolder, manifest.input, manifest.selection);
}

Answer Engine::ask(const imaging::StudyImages& study, std::string_view question) const {
  const std::string questions[] = {std::string(question)};
  return std::move(askMany(study, questions).front());
}

// Every model question is submitted before any is awaited, so the questions share batches and
// each image is encoded once for all of them.
std::vector<Answer> Engine::askMany(const imaging::StudyImages& study, std::span<const std::string> questions) const {
  std::vector<Answer> answers(questions.size());
  std::vector<Pending> pending;
  std::vector<ImageInput> images;
  for (const auto& question : questions) {
    if (blank(question)) throw Error(ErrorCode::InvalidArgument, "question is empty");
  }
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const auto& question = questions[i];
    if (auto attribute = impl_->router.route(question)) {
      answers[i] = impl_->headerAnswer(study, *attribute, question);
      continue;
    }
    if (study.images.empty()) {
      throw Error(ErrorCode::InvalidArgument, "no decodable image in the study for \"" + question + "\"");
    }
    if (images.empty()) images = shareImages(study);
    pending.push_back(impl_->submit(images, question, i));
  }
  for (auto& item : pending) answers[item.slot] = impl_->collect(study, questions[item.slot], item);
  if (auto* metrics = impl_->config.batcher.metrics) {
    for (const Answer& answer : answers) metrics->answered(toString(answer.source));
  }
  return answers;
}

const Model& Engine::model() const { return *impl_->model; }
const QuestionRouter& Engine::router() const { return impl_->router; }
Batcher::Stats Engine::stats() const { return impl_->batcher.stats(); }

}  // namespace medvqa::vqa
