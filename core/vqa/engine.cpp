#include "vqa/engine.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "metrics/metrics.h"
#include "vqa/answer_combiner.h"
#include "vqa/answer_space.h"
#include "vqa/applicability.h"
#include "vqa/feature_cache.h"
#include "vqa/header_answers.h"
#include "vqa/reason_text.h"

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

// A model question in flight: one future per image, and what the understanding made of it.
struct Pending {
  std::size_t slot;  // position in the answers
  std::optional<std::size_t> type;  // nullopt: unscreened (a model without `understand`)
  bool inverse = false;
  std::vector<std::future<Probabilities>> perImage;
};

// The images an answer is based on, each once.
std::vector<std::string> evidenceOf(const imaging::StudyImages& study) {
  std::vector<std::string> uids;
  for (const auto& image : study.images) {
    if (std::find(uids.begin(), uids.end(), image.sopInstanceUid) == uids.end()) uids.push_back(image.sopInstanceUid);
  }
  return uids;
}

}  // namespace

struct Engine::Impl {
  std::shared_ptr<const Model> model;
  EngineConfig config;
  QuestionRouter router;
  QuestionUnderstanding understanding;
  Batcher batcher;
  std::vector<std::vector<std::int64_t>> canonicalTokens;  // per question type; empty: the words as asked
  std::vector<AnswerSpace> spaces;                         // per question type
  AnswerSpace everyAnswer;

  Impl(std::shared_ptr<const Model> m, EngineConfig c, QuestionRouter r)
      : model(std::move(m)),
        config(c),
        router(std::move(r)),
        understanding(*model, router),
        batcher(model, config.batcher),
        everyAnswer(model->manifest()) {
    for (const auto& type : model->manifest().questionTypes) {
      canonicalTokens.push_back(type.question.empty() ? std::vector<std::int64_t>{} : model->tokenizer().encode(type.question));
      spaces.emplace_back(model->manifest(), type);
    }
  }

  Answer headerAnswer(const imaging::StudyImages& study, HeaderAttribute attribute, const std::string& question) const {
    if (!study.header) {
      throw Error(ErrorCode::InvalidArgument, "no DICOM image instance to read the header of for \"" + question + "\"");
    }
    return answerFromHeader(attribute, *study.header, question);
  }

  Answer refusal(const std::string& question, AnswerStatus status, std::string reason) const {
    Answer answer;
    answer.question = question;
    answer.status = status;
    answer.reason = std::move(reason);
    answer.modelName = model->manifest().name;
    answer.modelVersion = model->manifest().version;
    return answer;
  }

  // The answer head is asked the type's canonical question: once the understanding has read the
  // radiologist's words, their phrasing no longer sways the answer.
  Pending submit(const std::vector<ImageInput>& images, const std::string& question, std::size_t slot,
                 std::optional<std::size_t> type, bool inverse) {
    const auto tokens = type && !canonicalTokens[*type].empty() ? canonicalTokens[*type] : model->tokenizer().encode(question);
    Pending pending{slot, type, inverse, {}};
    for (const auto& image : images) pending.perImage.push_back(batcher.submit(image, tokens));
    return pending;
  }

  Answer collect(const imaging::StudyImages& study, const std::string& question, Pending& pending) const {
    const auto& manifest = model->manifest();
    const AnswerSpace& space = pending.type ? spaces[*pending.type] : everyAnswer;
    std::vector<Probabilities> rows;
    for (auto& future : pending.perImage) rows.push_back(space.restrict(future.get()));
    const auto combined = combineAnswers(manifest.answers, rows, config.alternatives);
    const auto meant = [&](std::size_t index) { return pending.inverse ? space.flipped(index) : index; };
    Answer answer;
    answer.question = question;
    const std::size_t best = meant(combined.best.index);
    answer.text = manifest.answers[best].text;
    answer.code = manifest.answers[best].code;
    answer.confidence = combined.best.confidence;
    for (const auto& alternative : combined.alternatives) {
      if (space.contains(alternative.index)) {
        answer.alternatives.push_back({manifest.answers[meant(alternative.index)].text, alternative.confidence});
      }
    }
    answer.source = AnswerSource::Model;
    answer.modelName = manifest.name;
    answer.modelVersion = manifest.version;
    answer.sopInstanceUids = evidenceOf(study);
    if (pending.type) {
      const auto& type = manifest.questionTypes[*pending.type];
      answer.questionType = type.name;
      answer.inverse = pending.inverse;
      if (answer.confidence < type.threshold) {
        answer.status = AnswerStatus::Uncertain;
        answer.reason = "confidence " + twoDecimals(answer.confidence) + " is below " + twoDecimals(type.threshold) +
                        ", the threshold for " + type.name + "; best guess: " + answer.text;
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

std::vector<Understanding> Engine::understand(std::span<const std::string> questions) const {
  return impl_->understanding.understand(questions);
}

// Understanding first (one pass for every question), then the refusals that need no pixels; every
// model question left is submitted before any is awaited, so the questions share batches and each
// image is encoded once for all of them.
std::vector<Answer> Engine::askMany(const imaging::StudyImages& study, std::span<const std::string> questions) const {
  for (const auto& question : questions) {
    if (blank(question)) throw Error(ErrorCode::InvalidArgument, "question is empty");
  }
  const auto& manifest = impl_->model->manifest();
  const auto readings = impl_->understanding.understand(questions);
  const ImagedRegion region = study.header ? imagedRegionOf(*study.header) : ImagedRegion{};
  std::vector<Answer> answers(questions.size());
  std::vector<Pending> pending;
  std::vector<ImageInput> images;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const auto& question = questions[i];
    const auto& reading = readings[i];
    using Kind = Understanding::Kind;
    if (reading.kind == Kind::Header) {
      answers[i] = impl_->headerAnswer(study, *reading.attribute, question);
      continue;
    }
    if (reading.kind == Kind::Unsupported) {
      answers[i] = impl_->refusal(question, AnswerStatus::Unsupported, reading.reason);
      continue;
    }
    std::optional<std::size_t> type;
    if (reading.kind == Kind::ModelType) {
      type = reading.type;
      if (auto why = notApplicableReason(manifest, manifest.questionTypes[reading.type], region)) {
        answers[i] = impl_->refusal(question, AnswerStatus::NotApplicable, *why);
        answers[i].questionType = manifest.questionTypes[reading.type].name;
        answers[i].inverse = reading.inverse;
        continue;
      }
    }
    if (study.images.empty()) {
      throw Error(ErrorCode::InvalidArgument, "no decodable image in the study for \"" + question + "\"");
    }
    if (images.empty()) images = shareImages(study);
    pending.push_back(impl_->submit(images, question, i, type, reading.inverse));
  }
  for (auto& item : pending) answers[item.slot] = impl_->collect(study, questions[item.slot], item);
  if (auto* metrics = impl_->config.batcher.metrics) {
    for (const Answer& answer : answers) {
      if (answered(answer)) {
        metrics->answered(toString(answer.source));
      } else {
        metrics->refused(toString(answer.status));
      }
    }
  }
  return answers;
}

const Model& Engine::model() const { return *impl_->model; }
const QuestionRouter& Engine::router() const { return impl_->router; }
Batcher::Stats Engine::stats() const { return impl_->batcher.stats(); }

}  // namespace medvqa::vqa
