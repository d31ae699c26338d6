#include "synth/question_templates.h"

#include <array>

namespace medvqa::synth {
namespace {

using QT = QuestionType;
constexpr bool kTrain = false;
constexpr bool kHeldOut = true;

// Ids 1-100 are grouped by type in blocks of ten (type n: 10n+1 ...); rows added later take the
// next free id whatever their type. Append new phrasings with new ids;
// never reuse or renumber one, since evaluation reports and trained models refer to them.
// Held-out rows use words or word orders that no training row of their type uses ("evidence",
// "collected", "round opacities", "biggest", terse "Effusion present?"), so the evaluation
// measures generalisation; each stays a question a radiologist would actually ask.
constexpr std::array kPhrasings = std::to_array<Phrasing>({
    // effusion_presence
    {1, QT::EffusionPresence, kTrain, "Is there a pleural effusion?"},
    {2, QT::EffusionPresence, kTrain, "Is a pleural effusion present?"},
    {3, QT::EffusionPresence, kTrain, "Is there fluid in the pleural space?"},
    {4, QT::EffusionPresence, kTrain, "Does the chest film show an effusion?"},
    {5, QT::EffusionPresence, kTrain, "Are the costophrenic angles blunted by fluid?"},
    {6, QT::EffusionPresence, kTrain, "Any pleural fluid?"},
    {7, QT::EffusionPresence, kTrain, "Do you see an effusion in either hemithorax?"},
    {8, QT::EffusionPresence, kHeldOut, "Is there evidence of pleural effusion on this radiograph?"},
    {9, QT::EffusionPresence, kHeldOut, "Has fluid collected at the lung bases?"},
    {10, QT::EffusionPresence, kHeldOut, "Effusion present?"},
    // effusion_side
    {11, QT::EffusionSide, kTrain, "Which side is the effusion on?"},
    {12, QT::EffusionSide, kTrain, "On which side is the pleural effusion?"},
    {13, QT::EffusionSide, kTrain, "What is the laterality of the pleural effusion?"},
    {14, QT::EffusionSide, kTrain, "Where is the pleural fluid: left, right or both sides?"},
    {15, QT::EffusionSide, kTrain, "Is the effusion left-sided, right-sided or bilateral?"},
    {16, QT::EffusionSide, kTrain, "Which hemithorax contains pleural fluid?"},
    {17, QT::EffusionSide, kTrain, "Which costophrenic angle is blunted by fluid?"},
    {18, QT::EffusionSide, kHeldOut, "Side of the pleural effusion?"},
    {19, QT::EffusionSide, kHeldOut, "In which pleural space is there fluid?"},
    {20, QT::EffusionSide, kHeldOut, "Is the pleural effusion on the left, on the right, or on both sides?"},
    // cardiomegaly
    {21, QT::Cardiomegaly, kTrain, "Is there cardiomegaly?"},
    {22, QT::Cardiomegaly, kTrain, "Is the heart enlarged?"},
    {23, QT::Cardiomegaly, kTrain, "Is the cardiac silhouette enlarged?"},
    {24, QT::Cardiomegaly, kTrain, "Is the cardiothoracic ratio greater than 0.5?"},
    {25, QT::Cardiomegaly, kTrain, "Is the heart size increased?"},
    {26, QT::Cardiomegaly, kTrain, "Does the heart look too big?"},
    {27, QT::Cardiomegaly, kTrain, "Is the cardiac size abnormal?"},
    {28, QT::Cardiomegaly, kHeldOut, "Is the cardiac shadow enlarged?"},
    {29, QT::Cardiomegaly, kHeldOut, "Does this patient have an enlarged heart?"},
    {30, QT::Cardiomegaly, kHeldOut, "Cardiomegaly present?"},
    // pneumothorax
    {31, QT::Pneumothorax, kTrain, "Is there a pneumothorax?"},
    {32, QT::Pneumothorax, kTrain, "Is a pneumothorax present?"},
    {33, QT::Pneumothorax, kTrain, "Is there a collapsed lung?"},
    {34, QT::Pneumothorax, kTrain, "Is there air in the pleural space?"},
    {35, QT::Pneumothorax, kTrain, "Can you see a visceral pleural line?"},
    {36, QT::Pneumothorax, kTrain, "Is there free pleural air?"},
    {37, QT::Pneumothorax, kTrain, "Is there a pneumothorax on either side?"},
    {38, QT::Pneumothorax, kHeldOut, "Does the lung appear collapsed?"},
    {39, QT::Pneumothorax, kHeldOut, "Any evidence of pneumothorax on this film?"},
    {40, QT::Pneumothorax, kHeldOut, "Is one of the lungs collapsed?"},
    // nodule_count
    {41, QT::NoduleCount, kTrain, "How many nodules are there?"},
    {42, QT::NoduleCount, kTrain, "How many lung nodules are visible?"},
    {43, QT::NoduleCount, kTrain, "How many pulmonary nodules do you see?"},
    {44, QT::NoduleCount, kTrain, "What is the number of nodules in the lungs?"},
    {45, QT::NoduleCount, kTrain, "Count the pulmonary nodules."},
    {46, QT::NoduleCount, kTrain, "How many nodular opacities are present?"},
    {47, QT::NoduleCount, kTrain, "How many lung nodules does the radiograph show?"},
    {48, QT::NoduleCount, kHeldOut, "Number of pulmonary nodules?"},
    {49, QT::NoduleCount, kHeldOut, "How many round opacities are in the lungs?"},
    {50, QT::NoduleCount, kHeldOut, "How many nodules can be seen in the lung fields?"},
    // liver_lesion
    {51, QT::LiverLesion, kTrain, "Is there a liver lesion?"},
    {52, QT::LiverLesion, kTrain, "Is there a hepatic lesion?"},
    {53, QT::LiverLesion, kTrain, "Is there a mass in the liver?"},
    {54, QT::LiverLesion, kTrain, "Are there any hypodense liver lesions?"},
    {55, QT::LiverLesion, kTrain, "Does the liver contain a focal lesion?"},
    {56, QT::LiverLesion, kTrain, "Is there a hypodensity in the liver?"},
    {57, QT::LiverLesion, kTrain, "Are there liver lesions on this CT?"},
    {58, QT::LiverLesion, kHeldOut, "Any focal hepatic lesion?"},
    {59, QT::LiverLesion, kHeldOut, "Is a liver mass present?"},
    {60, QT::LiverLesion, kHeldOut, "Does the hepatic parenchyma show a hypodense lesion?"},
    // liver_lesion_count
    {61, QT::LiverLesionCount, kTrain, "How many liver lesions are there?"},
    {62, QT::LiverLesionCount, kTrain, "How many hepatic lesions are visible?"},
    {63, QT::LiverLesionCount, kTrain, "How many masses are in the liver?"},
    {64, QT::LiverLesionCount, kTrain, "What is the number of liver lesions?"},
    {65, QT::LiverLesionCount, kTrain, "Count the hypodense lesions in the liver."},
    {66, QT::LiverLesionCount, kTrain, "How many focal liver lesions do you see?"},
    {67, QT::LiverLesionCount, kTrain, "How many lesions does the liver contain?"},
    {68, QT::LiverLesionCount, kHeldOut, "How many hepatic hypodensities are present?"},
    {69, QT::LiverLesionCount, kHeldOut, "Number of liver lesions?"},
    {70, QT::LiverLesionCount, kHeldOut, "How many liver masses can be seen?"},
    // liver_lesion_size
    {71, QT::LiverLesionSize, kTrain, "How large is the liver lesion?"},
    {72, QT::LiverLesionSize, kTrain, "What is the size of the largest liver lesion?"},
    {73, QT::LiverLesionSize, kTrain, "How big is the hepatic lesion?"},
    {74, QT::LiverLesionSize, kTrain, "What size is the largest hepatic mass?"},
    {75, QT::LiverLesionSize, kTrain, "Is the liver lesion small, medium or large?"},
    {76, QT::LiverLesionSize, kTrain, "What is the size category of the liver lesion?"},
    {77, QT::LiverLesionSize, kTrain, "How big is the largest lesion in the liver?"},
    {78, QT::LiverLesionSize, kHeldOut, "How large is the biggest liver hypodensity?"},
    {79, QT::LiverLesionSize, kHeldOut, "Size of the largest liver mass?"},
    {80, QT::LiverLesionSize, kHeldOut, "What size are the hepatic lesions?"},
    // kidney_lesion
    {81, QT::KidneyLesion, kTrain, "Is there a kidney lesion?"},
    {82, QT::KidneyLesion, kTrain, "Is there a renal lesion?"},
    {83, QT::KidneyLesion, kTrain, "Is there a renal mass?"},
    {84, QT::KidneyLesion, kTrain, "Does either kidney contain a lesion?"},
    {85, QT::KidneyLesion, kTrain, "Is there a hypodense lesion in the kidney?"},
    {86, QT::KidneyLesion, kTrain, "Is there a focal renal lesion?"},
    {87, QT::KidneyLesion, kTrain, "Are there kidney masses on this scan?"},
    {88, QT::KidneyLesion, kHeldOut, "Any lesion in the kidneys?"},
    {89, QT::KidneyLesion, kHeldOut, "Is a renal mass present?"},
    {90, QT::KidneyLesion, kHeldOut, "Do the kidneys show a hypodensity?"},
    // kidney_lesion_side
    {91, QT::KidneyLesionSide, kTrain, "Which kidney has the lesion?"},
    {92, QT::KidneyLesionSide, kTrain, "On which side is the renal lesion?"},
    {93, QT::KidneyLesionSide, kTrain, "Which kidney contains a mass?"},
    {94, QT::KidneyLesionSide, kTrain, "What is the laterality of the renal lesion?"},
    {95, QT::KidneyLesionSide, kTrain, "Is the kidney lesion in the left, right or both kidneys?"},
    {96, QT::KidneyLesionSide, kTrain, "Which side is the kidney lesion on?"},
    {97, QT::KidneyLesionSide, kTrain, "Which kidney is affected by a lesion?"},
    {98, QT::KidneyLesionSide, kHeldOut, "Side of the renal mass?"},
    {99, QT::KidneyLesionSide, kHeldOut, "In which kidney is there a hypodense lesion?"},
    {100, QT::KidneyLesionSide, kHeldOut, "Is the renal lesion left, right or bilateral?"},
    // Training rows added after medvqa-demo 1.0.0, whose held-out errors were all question-type
    // confusions: it read "Has ...?" and "In which ... is there ...?" as the wrong kind of
    // question and a plural "lesions" as a count. These rows teach those sentence shapes on
    // other types or in other word orders; no held-out row's words-and-order appears in its own
    // type's training rows, so the held-out figure still measures generalisation.
    {101, QT::EffusionSide, kTrain, "Which side is there fluid on?"},
    {102, QT::EffusionSide, kTrain, "In which hemithorax do you see an effusion?"},
    {103, QT::KidneyLesionSide, kTrain, "Which kidney is there a lesion in?"},
    {104, QT::KidneyLesionSide, kTrain, "In which kidney do you see a mass?"},
    {105, QT::Cardiomegaly, kTrain, "Has the heart become enlarged?"},
    {106, QT::Cardiomegaly, kTrain, "Any sign of cardiomegaly?"},
    {107, QT::Pneumothorax, kTrain, "Has a pneumothorax developed?"},
    {108, QT::Pneumothorax, kTrain, "Do the lungs show a pneumothorax?"},
    {109, QT::LiverLesion, kTrain, "Has the liver developed a lesion?"},
    {110, QT::KidneyLesion, kTrain, "Has a renal lesion developed?"},
    {111, QT::LiverLesionSize, kTrain, "How big are the liver lesions?"},
    {112, QT::LiverLesionSize, kTrain, "What is the size of the hepatic masses?"},
});

}  // namespace

std::span<const Phrasing> allPhrasings() { return kPhrasings; }

std::vector<const Phrasing*> phrasingsFor(QuestionType type) {
  std::vector<const Phrasing*> out;
  for (const Phrasing& p : kPhrasings)
    if (p.type == type) out.push_back(&p);
  return out;
}

const Phrasing* findPhrasing(int id) {
  for (const Phrasing& p : kPhrasings)
    if (p.id == id) return &p;
  return nullptr;
}

}  // namespace medvqa::synth
