#include "synth/question_templates.h"

#include <array>

namespace medvqa::synth {
namespace {

using QT = QuestionType;
constexpr bool kTrain = false;
constexpr bool kHeldOut = true;
constexpr bool kInverse = true;

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
    // Inverse phrasings of the closed types (issue 11): "yes" means the finding is absent, so the
    // truth answer is the type's answer flipped. Each is a true negation of its type only
    // ("Is the liver normal?" is not: a liver without a lesion may still be cirrhotic). Five
    // trained and two held out per type; a held-out row uses a word that no training row of its
    // type uses ("absent", "excluded", "inflated", "have", "recesses", "without"). Most of their
    // polarity cues ("absent", "excluded", "ruled out", "without") train on other types only, so
    // the held-out figure measures whether the model carries a negation over to a type it never
    // saw it with.
    // effusion_presence
    {113, QT::EffusionPresence, kTrain, "Is the pleural space clear?", kInverse},
    {114, QT::EffusionPresence, kTrain, "Are the costophrenic angles sharp?", kInverse},
    {115, QT::EffusionPresence, kTrain, "Are the pleural spaces free of fluid?", kInverse},
    {116, QT::EffusionPresence, kTrain, "Can a pleural effusion be ruled out?", kInverse},
    {117, QT::EffusionPresence, kTrain, "Are both costophrenic angles clear?", kInverse},
    {118, QT::EffusionPresence, kHeldOut, "Is a pleural effusion absent?", kInverse},
    {119, QT::EffusionPresence, kHeldOut, "Are the costophrenic recesses clear?", kInverse},
    // cardiomegaly
    {120, QT::Cardiomegaly, kTrain, "Is the heart normal in size?", kInverse},
    {121, QT::Cardiomegaly, kTrain, "Is the cardiac silhouette normal in size?", kInverse},
    {122, QT::Cardiomegaly, kTrain, "Is the heart size normal?", kInverse},
    {123, QT::Cardiomegaly, kTrain, "Is the cardiothoracic ratio within normal limits?", kInverse},
    {124, QT::Cardiomegaly, kTrain, "Can cardiomegaly be ruled out?", kInverse},
    {125, QT::Cardiomegaly, kHeldOut, "Is cardiomegaly absent?", kInverse},
    {126, QT::Cardiomegaly, kHeldOut, "Does the heart have a normal size?", kInverse},
    // pneumothorax
    {127, QT::Pneumothorax, kTrain, "Is the lung fully expanded?", kInverse},
    {128, QT::Pneumothorax, kTrain, "Are the lungs fully expanded?", kInverse},
    {129, QT::Pneumothorax, kTrain, "Is the pleural space free of air?", kInverse},
    {130, QT::Pneumothorax, kTrain, "Do the lung markings extend to the chest wall?", kInverse},
    {131, QT::Pneumothorax, kTrain, "Can a pneumothorax be ruled out?", kInverse},
    {132, QT::Pneumothorax, kHeldOut, "Can a pneumothorax be excluded?", kInverse},
    {133, QT::Pneumothorax, kHeldOut, "Are both lungs fully inflated?", kInverse},
    // liver_lesion
    {134, QT::LiverLesion, kTrain, "Is the liver free of lesions?", kInverse},
    {135, QT::LiverLesion, kTrain, "Is the liver clear of masses?", kInverse},
    {136, QT::LiverLesion, kTrain, "Can a liver lesion be ruled out?", kInverse},
    {137, QT::LiverLesion, kTrain, "Is the liver without focal lesions?", kInverse},
    {138, QT::LiverLesion, kTrain, "Is the liver free of hypodense lesions?", kInverse},
    {139, QT::LiverLesion, kHeldOut, "Can a hepatic lesion be excluded?", kInverse},
    {140, QT::LiverLesion, kHeldOut, "Is a focal liver lesion absent?", kInverse},
    // kidney_lesion
    {141, QT::KidneyLesion, kTrain, "Are the kidneys free of lesions?", kInverse},
    {142, QT::KidneyLesion, kTrain, "Is a renal lesion absent?", kInverse},
    {143, QT::KidneyLesion, kTrain, "Can a renal mass be excluded?", kInverse},
    {144, QT::KidneyLesion, kTrain, "Are both kidneys free of masses?", kInverse},
    {145, QT::KidneyLesion, kTrain, "Are the kidneys clear of lesions?", kInverse},
    {146, QT::KidneyLesion, kHeldOut, "Can a kidney lesion be ruled out?", kInverse},
    {147, QT::KidneyLesion, kHeldOut, "Are the kidneys without any mass?", kInverse},
});

// Inverse rows belong to closed types only, and every type has its canonical row (10n + 1),
// direct and trained on.
static_assert([] {
  int canonical = 0;
  for (const Phrasing& p : kPhrasings) {
    if (p.inverse && p.type != QT::EffusionPresence && p.type != QT::Cardiomegaly && p.type != QT::Pneumothorax &&
        p.type != QT::LiverLesion && p.type != QT::KidneyLesion)
      return false;
    if (p.id <= 100 && p.id % 10 == 1) {
      if (p.inverse || p.heldout || p.id != 10 * static_cast<int>(p.type) + 1) return false;
      ++canonical;
    }
  }
  return canonical == static_cast<int>(QT::KidneyLesionSide) + 1;  // the last type
}());

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

const Phrasing& canonicalPhrasing(QuestionType type) {
  const Phrasing* p = findPhrasing(10 * static_cast<int>(type) + 1);
  return *p;  // exists for every type: the static_assert above checks the 10n + 1 rows
}

std::string_view flipYesNo(std::string_view answer) {
  if (answer == "yes") return "no";
  if (answer == "no") return "yes";
  return answer;
}

std::string_view answerAsAsked(const Phrasing& phrasing, std::string_view typeAnswer) {
  return phrasing.inverse ? flipYesNo(typeAnswer) : typeAnswer;
}

}  // namespace medvqa::synth
