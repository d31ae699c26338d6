#include "synth/question_types.h"

#include <array>

namespace medvqa::synth {
namespace {

struct TypeInfo {
  QuestionType type;
  std::string_view name;
  StudyKind kind;
  std::span<const std::string_view> answers;
};

constexpr std::array<std::string_view, 2> kYesNo = {"yes", "no"};
constexpr std::array<std::string_view, 4> kSides = {"left", "right", "bilateral", "none"};
constexpr std::array<std::string_view, 4> kCounts = {"0", "1", "2", "3"};
constexpr std::array<std::string_view, 4> kSizes = {"none", "small", "medium", "large"};

constexpr std::array<TypeInfo, 10> kTypes = {{
    {QuestionType::EffusionPresence, "effusion_presence", StudyKind::Chest, kYesNo},
    {QuestionType::EffusionSide, "effusion_side", StudyKind::Chest, kSides},
    {QuestionType::Cardiomegaly, "cardiomegaly", StudyKind::Chest, kYesNo},
    {QuestionType::Pneumothorax, "pneumothorax", StudyKind::Chest, kYesNo},
    {QuestionType::NoduleCount, "nodule_count", StudyKind::Chest, kCounts},
    {QuestionType::LiverLesion, "liver_lesion", StudyKind::Ct, kYesNo},
    {QuestionType::LiverLesionCount, "liver_lesion_count", StudyKind::Ct, kCounts},
    {QuestionType::LiverLesionSize, "liver_lesion_size", StudyKind::Ct, kSizes},
    {QuestionType::KidneyLesion, "kidney_lesion", StudyKind::Ct, kYesNo},
    {QuestionType::KidneyLesionSide, "kidney_lesion_side", StudyKind::Ct, kSides},
}};

constexpr std::array<QuestionType, 5> kChestTypes = {QuestionType::EffusionPresence, QuestionType::EffusionSide,
                                                     QuestionType::Cardiomegaly, QuestionType::Pneumothorax,
                                                     QuestionType::NoduleCount};
constexpr std::array<QuestionType, 5> kCtTypes = {QuestionType::LiverLesion, QuestionType::LiverLesionCount,
                                                  QuestionType::LiverLesionSize, QuestionType::KidneyLesion,
                                                  QuestionType::KidneyLesionSide};

// info() indexes the table by the enum's value.
static_assert([] {
  for (std::size_t i = 0; i < kTypes.size(); ++i)
    if (static_cast<std::size_t>(kTypes[i].type) != i) return false;
  return true;
}());

const TypeInfo& info(QuestionType type) { return kTypes[static_cast<std::size_t>(type)]; }

}  // namespace

std::string_view toString(StudyKind kind) { return kind == StudyKind::Chest ? "chest" : "ct"; }

std::optional<StudyKind> parseStudyKind(std::string_view text) {
  if (text == "chest") return StudyKind::Chest;
  if (text == "ct") return StudyKind::Ct;
  return std::nullopt;
}

std::string_view toString(QuestionType type) { return info(type).name; }

std::optional<QuestionType> parseQuestionType(std::string_view text) {
  for (const TypeInfo& t : kTypes)
    if (t.name == text) return t.type;
  return std::nullopt;
}

StudyKind kindOf(QuestionType type) { return info(type).kind; }

std::span<const QuestionType> typesFor(StudyKind kind) {
  if (kind == StudyKind::Chest) return kChestTypes;
  return kCtTypes;
}

std::span<const std::string_view> answersFor(QuestionType type) { return info(type).answers; }

bool isClosed(QuestionType type) { return info(type).answers.size() == 2; }

}  // namespace medvqa::synth
