#pragma once

// The coded concepts of the MedVQA answer SR, in one place so the writer and the reader cannot
// disagree. Standard codes where PS3.16 has one (DCM, SCT, UCUM); the private scheme "99MEDVQA"
// only for what it lacks: a question, its answer, where the answer came from, a runner-up answer.

#include <dcmtk/dcmsr/dsrcodvl.h>

#include <optional>
#include <string>
#include <string_view>

#include "vqa/code.h"

class DSRCodingSchemeIdentificationList;

namespace medvqa::sr {

// The private coding scheme (PS3.3 C.17.2.2 Coding Scheme Identification Sequence).
inline constexpr const char* kPrivateScheme = "99MEDVQA";
inline constexpr const char* kPrivateSchemeName = "MedVQA visual question answering concepts";
inline constexpr const char* kPrivateSchemeOrganization = "MedVQA project";

// 99MEDVQA concept names.
DSRCodedEntryValue questionConcept();           // (MVQA001, 99MEDVQA, "Question"), TEXT
DSRCodedEntryValue answerConcept();             // (MVQA002, 99MEDVQA, "Answer"), CODE or TEXT
DSRCodedEntryValue answerSourceConcept();       // (MVQA003, 99MEDVQA, "Answer source"), TEXT
DSRCodedEntryValue alternativeAnswerConcept();  // (MVQA004, 99MEDVQA, "Alternative answer"), TEXT

// Standard concept names. Confidence is DCM "Certainty of Finding" (111012: "the likelihood that
// the finding is correctly identified"), a 0..1 ratio in UCUM "{ratio}".
DSRCodedEntryValue confidenceConcept();
DSRCodedEntryValue ratioUnit();

// Standard answer values for the closed answers that have one: CID 230 Yes-No (SCT 373066001 /
// 373067005) and CID 244 Laterality (SCT 7771000 left, 24028007 right, 51440002 bilateral).
// nullopt for any other text. For callers (the pipeline) that want to code a plain answer; the
// writer itself writes exactly the code the answer carries.
std::optional<vqa::Code> standardAnswerCode(std::string_view answerText);

// Conversions between the answer model's Code and DCMTK's coded entry. toCodedEntry throws
// Error(InvalidArgument) naming `what` when DCMTK refuses the code (empty value/scheme/meaning,
// a value too long for its VR).
DSRCodedEntryValue toCodedEntry(const vqa::Code& code, std::string_view what);
vqa::Code fromCodedEntry(const DSRCodedEntryValue& entry);

// Same scheme designator and code value (the meaning is a label, not identity).
bool sameConcept(const DSRCodedEntryValue& a, const DSRCodedEntryValue& b);

// Declares 99MEDVQA in the document's Coding Scheme Identification Sequence.
void declarePrivateScheme(DSRCodingSchemeIdentificationList& schemes);

}  // namespace medvqa::sr
