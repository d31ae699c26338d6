// The question types of the demo model (docs/model-format.md), their study kind and answers.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace medvqa::synth {

enum class StudyKind { Chest, Ct };

enum class QuestionType {
  EffusionPresence,
  EffusionSide,
  Cardiomegaly,
  Pneumothorax,
  NoduleCount,
  LiverLesion,
  LiverLesionCount,
  LiverLesionSize,
  KidneyLesion,
  KidneyLesionSide,
};

std::string_view toString(StudyKind kind);  // "chest", "ct"
std::optional<StudyKind> parseStudyKind(std::string_view text);

std::string_view toString(QuestionType type);  // "effusion_presence", ...
std::optional<QuestionType> parseQuestionType(std::string_view text);

StudyKind kindOf(QuestionType type);
/// Every type asked about a study of `kind`, in the order of the table in docs/model-format.md.
std::span<const QuestionType> typesFor(StudyKind kind);
/// The answers a type admits, as written in truth.jsonl.
std::span<const std::string_view> answersFor(QuestionType type);
/// Closed types are the yes/no ones.
bool isClosed(QuestionType type);

}  // namespace medvqa::synth
