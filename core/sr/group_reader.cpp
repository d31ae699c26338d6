#include "sr/group_reader.h"

#include <dcmtk/dcmsr/codes/dcm.h>

#include "common/error.h"
#include "sr/sr_codes.h"

namespace medvqa::sr {

namespace {

const ContentItem& required(const ContentItem& group, std::string_view type, const DSRCodedEntryValue& name,
                            const std::string& label) {
  if (const ContentItem* item = group.child(type, name)) return *item;
  throw Error(ErrorCode::InvalidArgument,
              label + ": no " + std::string(type) + " \"" + name.getCodeMeaning().c_str() + "\" item");
}

double requiredNumber(const ContentItem& item, const std::string& what) {
  if (!item.number) throw Error(ErrorCode::InvalidArgument, what + ": the NUM item holds no number");
  return *item.number;
}

// CODE answer (its words in the "Equivalent Meaning of Value" child, else the code's meaning)
// or TEXT answer.
void readAnswerValue(const ContentItem& group, vqa::Answer& answer, const std::string& label) {
  if (const ContentItem* coded = group.child("CODE", answerConcept())) {
    answer.code = coded->code;
    const ContentItem* words = coded->child("TEXT", DSRCodedEntryValue(CODE_DCM_EquivalentMeaningOfValue));
    answer.text = words != nullptr ? words->text : answer.code->meaning;
    return;
  }
  answer.text = required(group, "TEXT", answerConcept(), label).text;
}

// The confidence NUM (TID 300) and the images it was inferred from (TID 320).
void readConfidence(const ContentItem& group, vqa::Answer& answer, const std::string& label) {
  const ContentItem& confidence = required(group, "NUM", confidenceConcept(), label);
  answer.confidence = requiredNumber(confidence, label + ": confidence");
  for (const ContentItem* image : confidence.childrenOf("IMAGE", DSRCodedEntryValue(CODE_DCM_SourceOfMeasurement))) {
    answer.sopInstanceUids.push_back(image->sopInstanceUid);
  }
}

void readAlternatives(const ContentItem& group, vqa::Answer& answer, const std::string& label) {
  for (const ContentItem* item : group.childrenOf("TEXT", alternativeAnswerConcept())) {
    const std::string what = label + ": alternative \"" + item->text + "\"";
    const ContentItem& confidence = required(*item, "NUM", confidenceConcept(), what);
    answer.alternatives.push_back({item->text, requiredNumber(confidence, what)});
  }
}

// TID 4019 (Algorithm Identification): the answer's model name and version.
void readAlgorithm(const ContentItem& group, vqa::Answer& answer, const std::string& label) {
  answer.modelName = required(group, "TEXT", DSRCodedEntryValue(CODE_DCM_AlgorithmName), label).text;
  answer.modelVersion = required(group, "TEXT", DSRCodedEntryValue(CODE_DCM_AlgorithmVersion), label).text;
}

vqa::AnswerSource sourceOf(const ContentItem& group, const std::string& label) {
  const std::string& source = required(group, "TEXT", answerSourceConcept(), label).text;
  try {
    return vqa::parseAnswerSource(source);
  } catch (const Error& e) {
    throw Error(ErrorCode::InvalidArgument, label + ": answer " + e.what());
  }
}

}  // namespace

bool isAnswerGroup(const ContentItem& group) {
  return group.is("CONTAINER", DSRCodedEntryValue(CODE_DCM_MeasurementGroup)) &&
         group.child("TEXT", questionConcept()) != nullptr;
}

vqa::Answer answerFromGroup(const ContentItem& group, const std::string& label) {
  vqa::Answer answer;
  answer.question = required(group, "TEXT", questionConcept(), label).text;
  readAnswerValue(group, answer, label);
  readConfidence(group, answer, label);
  answer.source = sourceOf(group, label);
  readAlternatives(group, answer, label);
  readAlgorithm(group, answer, label);
  return answer;
}

}  // namespace medvqa::sr
