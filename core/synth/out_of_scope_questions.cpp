#include "synth/out_of_scope_questions.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <vector>

#include "synth/random.h"

namespace medvqa::synth {
namespace {

using Cat = OutOfScopeCategory;
constexpr bool kTrain = false;
constexpr bool kHeldOut = true;

// Which slots a topic fills, and so which templates apply to it.
enum class Family { Finding, Organ, Device, Study, Place, Sport, Food };

// Topic flags: what a template may ask about the topic.
constexpr unsigned kSided = 1u << 0;      // has a side ("Which side is the {b} on?")
constexpr unsigned kSized = 1u << 1;      // has a size
constexpr unsigned kSoft = 1u << 2;       // an organ that can be enlarged or hold a lesion
constexpr unsigned kBone = 1u << 3;       // a bone: fractured, intact
constexpr unsigned kJoint = 1u << 4;      // a joint: dislocated, arthritic
constexpr unsigned kRemovable = 1u << 5;  // an organ that can be resected
constexpr unsigned kOurs = 1u << 6;       // an organ our types ask about: modality templates only
constexpr unsigned kPlural = 1u << 7;     // slot {c} (plural) is filled: counts, "Which {a}", "both {c}"

// A template's category: FromTopic for the finding templates (a chest or other finding).
constexpr auto kFromTopic = static_cast<Cat>(-1);

struct Topic {
  int id;
  Family family;
  Cat category;
  bool heldout;
  std::string_view a;  // Finding: noun phrase ("a rib fracture", "consolidation"); others: the name
  std::string_view b;  // Finding and Device: bare noun ("rib fracture"); the topic's name
  std::string_view c;  // plural ("rib fractures", "adrenal glands"), or empty
  unsigned flags;
};

struct Template {
  int id;
  Family family;
  Cat category;
  bool heldout;
  unsigned needs;     // every flag the topic must have
  unsigned excludes;  // no flag the topic may have
  std::string_view text;
};

// ---------------------------------------------------------------------------------------------
// Topics. Ids are stable: append, never renumber or reuse. About a quarter of each category is
// held out; a held-out topic's words appear in no training item (a unit test checks).
constexpr std::array kTopics = std::to_array<Topic>({
    // Chest findings none of our types asks about (1-99).
    {1, Family::Finding, Cat::ChestFinding, kTrain, "consolidation", "consolidation", "", kSided},
    {2, Family::Finding, Cat::ChestFinding, kTrain, "pneumonia", "pneumonia", "", kSided},
    {3, Family::Finding, Cat::ChestFinding, kTrain, "atelectasis", "atelectasis", "", kSided},
    {4, Family::Finding, Cat::ChestFinding, kHeldOut, "a rib fracture", "rib fracture", "rib fractures", kSided | kPlural},
    {5, Family::Finding, Cat::ChestFinding, kTrain, "hilar enlargement", "hilar enlargement", "", kSided},
    {6, Family::Finding, Cat::ChestFinding, kTrain, "pulmonary edema", "pulmonary edema", "", 0},
    {7, Family::Finding, Cat::ChestFinding, kTrain, "emphysema", "emphysema", "", 0},
    {8, Family::Finding, Cat::ChestFinding, kHeldOut, "pleural thickening", "pleural thickening", "", kSided},
    {9, Family::Finding, Cat::ChestFinding, kTrain, "a pleural plaque", "pleural plaque", "pleural plaques", kSided | kPlural},
    {10, Family::Finding, Cat::ChestFinding, kTrain, "a clavicle fracture", "clavicle fracture", "", kSided},
    {11, Family::Finding, Cat::ChestFinding, kTrain, "a hiatal hernia", "hiatal hernia", "", kSized},
    {12, Family::Finding, Cat::ChestFinding, kHeldOut, "pneumomediastinum", "pneumomediastinum", "", 0},
    {13, Family::Finding, Cat::ChestFinding, kTrain, "subcutaneous emphysema", "subcutaneous emphysema", "", kSided},
    {14, Family::Finding, Cat::ChestFinding, kTrain, "pulmonary fibrosis", "pulmonary fibrosis", "", 0},
    {15, Family::Finding, Cat::ChestFinding, kTrain, "bronchiectasis", "bronchiectasis", "", 0},
    {16, Family::Finding, Cat::ChestFinding, kHeldOut, "a lung abscess", "lung abscess", "lung abscesses", kSided | kSized | kPlural},
    {17, Family::Finding, Cat::ChestFinding, kTrain, "interstitial lung disease", "interstitial lung disease", "", 0},
    {18, Family::Finding, Cat::ChestFinding, kTrain, "tuberculosis", "tuberculosis", "", 0},
    {19, Family::Finding, Cat::ChestFinding, kTrain, "hilar lymphadenopathy", "hilar lymphadenopathy", "", kSided},
    {20, Family::Finding, Cat::ChestFinding, kHeldOut, "an elevated hemidiaphragm", "elevated hemidiaphragm", "", kSided},
    {21, Family::Finding, Cat::ChestFinding, kTrain, "a cervical rib", "cervical rib", "", kSided},
    {22, Family::Finding, Cat::ChestFinding, kTrain, "scoliosis", "scoliosis", "", 0},
    {23, Family::Finding, Cat::ChestFinding, kTrain, "a mediastinal mass", "mediastinal mass", "", kSized},
    {24, Family::Finding, Cat::ChestFinding, kHeldOut, "a vertebral compression fracture", "vertebral compression fracture",
     "vertebral compression fractures", kPlural},
    {25, Family::Finding, Cat::ChestFinding, kTrain, "a foreign body", "foreign body", "foreign bodies", kPlural},
    {26, Family::Finding, Cat::ChestFinding, kTrain, "pulmonary hypertension", "pulmonary hypertension", "", 0},
    {27, Family::Finding, Cat::ChestFinding, kTrain, "a pulmonary embolism", "pulmonary embolism", "", kSided},
    {28, Family::Finding, Cat::ChestFinding, kHeldOut, "aortic calcification", "aortic calcification", "", 0},
    {29, Family::Finding, Cat::ChestFinding, kTrain, "a diaphragmatic hernia", "diaphragmatic hernia", "", kSided},
    {30, Family::Finding, Cat::ChestFinding, kTrain, "kyphosis", "kyphosis", "", 0},
    {31, Family::Finding, Cat::ChestFinding, kTrain, "cavitation", "cavitation", "", kSided},
    {32, Family::Finding, Cat::ChestFinding, kHeldOut, "sarcoidosis", "sarcoidosis", "", 0},
    {33, Family::Finding, Cat::ChestFinding, kTrain, "silicosis", "silicosis", "", 0},
    {34, Family::Finding, Cat::ChestFinding, kTrain, "a sternal fracture", "sternal fracture", "", 0},
    {35, Family::Finding, Cat::ChestFinding, kTrain, "bronchitis", "bronchitis", "", 0},
    {36, Family::Finding, Cat::ChestFinding, kHeldOut, "a bulla", "bulla", "bullae", kSided | kSized | kPlural},
    {37, Family::Finding, Cat::ChestFinding, kTrain, "a pneumatocele", "pneumatocele", "pneumatoceles", kPlural},
    {38, Family::Finding, Cat::ChestFinding, kTrain, "an aspiration pneumonitis", "aspiration pneumonitis", "", kSided},
    {39, Family::Finding, Cat::ChestFinding, kTrain, "a thoracic aortic aneurysm", "thoracic aortic aneurysm", "", kSized},
    {40, Family::Finding, Cat::ChestFinding, kHeldOut, "a chest wall mass", "chest wall mass", "", kSided | kSized},

    // Findings elsewhere in the body (101-199).
    {101, Family::Finding, Cat::OtherFinding, kTrain, "an intracranial hemorrhage", "intracranial hemorrhage", "", kSided | kSized},
    {102, Family::Finding, Cat::OtherFinding, kTrain, "a brain bleed", "brain bleed", "", kSided | kSized},
    {103, Family::Finding, Cat::OtherFinding, kTrain, "appendicitis", "appendicitis", "", 0},
    {104, Family::Finding, Cat::OtherFinding, kTrain, "a femoral fracture", "femoral fracture", "femoral fractures", kSided | kPlural},
    {105, Family::Finding, Cat::OtherFinding, kHeldOut, "a hip fracture", "hip fracture", "", kSided},
    {106, Family::Finding, Cat::OtherFinding, kTrain, "pancreatitis", "pancreatitis", "", 0},
    {107, Family::Finding, Cat::OtherFinding, kTrain, "a bowel obstruction", "bowel obstruction", "", 0},
    {108, Family::Finding, Cat::OtherFinding, kTrain, "a gallstone", "gallstone", "gallstones", kSized | kPlural},
    {109, Family::Finding, Cat::OtherFinding, kTrain, "an aortic aneurysm", "aortic aneurysm", "", kSized},
    {110, Family::Finding, Cat::OtherFinding, kTrain, "a bladder stone", "bladder stone", "bladder stones", kSized | kPlural},
    {111, Family::Finding, Cat::OtherFinding, kTrain, "splenomegaly", "splenomegaly", "", 0},
    {112, Family::Finding, Cat::OtherFinding, kHeldOut, "diverticulitis", "diverticulitis", "", 0},
    {113, Family::Finding, Cat::OtherFinding, kTrain, "a kidney stone", "kidney stone", "kidney stones", kSided | kSized | kPlural},
    {114, Family::Finding, Cat::OtherFinding, kHeldOut, "hydronephrosis", "hydronephrosis", "", kSided},
    {115, Family::Finding, Cat::OtherFinding, kTrain, "an ovarian cyst", "ovarian cyst", "ovarian cysts", kSided | kSized | kPlural},
    {116, Family::Finding, Cat::OtherFinding, kTrain, "a stroke", "stroke", "", kSided},
    {117, Family::Finding, Cat::OtherFinding, kTrain, "a subdural hematoma", "subdural hematoma", "", kSided | kSized},
    {118, Family::Finding, Cat::OtherFinding, kHeldOut, "a skull fracture", "skull fracture", "", 0},
    {119, Family::Finding, Cat::OtherFinding, kTrain, "a herniated disc", "herniated disc", "", 0},
    {120, Family::Finding, Cat::OtherFinding, kTrain, "an inguinal hernia", "inguinal hernia", "", kSided},
    {121, Family::Finding, Cat::OtherFinding, kTrain, "a deep vein thrombosis", "deep vein thrombosis", "", kSided},
    {122, Family::Finding, Cat::OtherFinding, kHeldOut, "a torn meniscus", "torn meniscus", "", kSided},
    {123, Family::Finding, Cat::OtherFinding, kTrain, "a rotator cuff tear", "rotator cuff tear", "", kSided},
    {124, Family::Finding, Cat::OtherFinding, kTrain, "a wrist fracture", "wrist fracture", "", kSided},
    {125, Family::Finding, Cat::OtherFinding, kTrain, "sinusitis", "sinusitis", "", 0},
    {126, Family::Finding, Cat::OtherFinding, kHeldOut, "a thyroid nodule", "thyroid nodule", "thyroid nodules", kSided | kSized | kPlural},
    {127, Family::Finding, Cat::OtherFinding, kHeldOut, "a breast mass", "breast mass", "", kSided | kSized},
    {128, Family::Finding, Cat::OtherFinding, kTrain, "a uterine fibroid", "uterine fibroid", "uterine fibroids", kSized | kPlural},
    {129, Family::Finding, Cat::OtherFinding, kTrain, "an ectopic pregnancy", "ectopic pregnancy", "", kSided},
    {130, Family::Finding, Cat::OtherFinding, kHeldOut, "a colonic polyp", "colonic polyp", "colonic polyps", kSized | kPlural},
    {131, Family::Finding, Cat::OtherFinding, kTrain, "cholecystitis", "cholecystitis", "", 0},
    {132, Family::Finding, Cat::OtherFinding, kTrain, "a splenic laceration", "splenic laceration", "", 0},
    {133, Family::Finding, Cat::OtherFinding, kTrain, "an adrenal adenoma", "adrenal adenoma", "", kSided | kSized},
    {134, Family::Finding, Cat::OtherFinding, kHeldOut, "testicular torsion", "testicular torsion", "", kSided},
    {135, Family::Finding, Cat::OtherFinding, kTrain, "osteoporosis", "osteoporosis", "", 0},
    {136, Family::Finding, Cat::OtherFinding, kTrain, "an ankle fracture", "ankle fracture", "", kSided},
    {137, Family::Finding, Cat::OtherFinding, kTrain, "a pelvic fracture", "pelvic fracture", "", kSided},
    {138, Family::Finding, Cat::OtherFinding, kTrain, "a brain tumour", "brain tumour", "brain tumours", kSided | kSized | kPlural},
    {139, Family::Finding, Cat::OtherFinding, kHeldOut, "multiple sclerosis", "multiple sclerosis", "", 0},
    {140, Family::Finding, Cat::OtherFinding, kTrain, "an aortic dissection", "aortic dissection", "", 0},
    {141, Family::Finding, Cat::OtherFinding, kTrain, "a bowel perforation", "bowel perforation", "", 0},
    {142, Family::Finding, Cat::OtherFinding, kHeldOut, "spinal cord compression", "spinal cord compression", "", 0},
    {143, Family::Finding, Cat::OtherFinding, kTrain, "hydrocephalus", "hydrocephalus", "", 0},
    {144, Family::Finding, Cat::OtherFinding, kTrain, "an umbilical hernia", "umbilical hernia", "", kSized},
    {145, Family::Finding, Cat::OtherFinding, kTrain, "a volvulus", "volvulus", "", 0},
    {146, Family::Finding, Cat::OtherFinding, kHeldOut, "an intussusception", "intussusception", "", 0},
    {147, Family::Finding, Cat::OtherFinding, kTrain, "a carotid stenosis", "carotid stenosis", "", kSided},
    {148, Family::Finding, Cat::OtherFinding, kTrain, "a shoulder dislocation", "shoulder dislocation", "", kSided},

    // Organs other than ours, asked about as a whole (201-289), and ours (291-299): ours only
    // appear in the modality templates, whose question is plainly not one of our types.
    {201, Family::Organ, Cat::Organ, kTrain, "spleen", "spleen", "", kSoft | kRemovable},
    {202, Family::Organ, Cat::Organ, kTrain, "pancreas", "pancreas", "", kSoft},
    {203, Family::Organ, Cat::Organ, kTrain, "gallbladder", "gallbladder", "", kSoft | kRemovable},
    {204, Family::Organ, Cat::Organ, kHeldOut, "urinary bladder", "urinary bladder", "", kSoft},
    {205, Family::Organ, Cat::Organ, kTrain, "aorta", "aorta", "", kSoft},
    {206, Family::Organ, Cat::Organ, kTrain, "stomach", "stomach", "", kSoft | kRemovable},
    {207, Family::Organ, Cat::Organ, kTrain, "appendix", "appendix", "", kSoft | kRemovable},
    {208, Family::Organ, Cat::Organ, kHeldOut, "pituitary gland", "pituitary gland", "", kSoft},
    {209, Family::Organ, Cat::Organ, kTrain, "brain", "brain", "", kSoft},
    {210, Family::Organ, Cat::Organ, kTrain, "thyroid gland", "thyroid gland", "", kSoft | kRemovable},
    {211, Family::Organ, Cat::Organ, kTrain, "prostate", "prostate", "", kSoft | kRemovable},
    {212, Family::Organ, Cat::Organ, kHeldOut, "uterus", "uterus", "", kSoft | kRemovable},
    {213, Family::Organ, Cat::Organ, kTrain, "adrenal gland", "adrenal gland", "adrenal glands", kSoft | kRemovable | kPlural},
    {214, Family::Organ, Cat::Organ, kTrain, "ovary", "ovary", "ovaries", kSoft | kRemovable | kPlural},
    {215, Family::Organ, Cat::Organ, kTrain, "spine", "spine", "", kBone},
    {216, Family::Organ, Cat::Organ, kHeldOut, "small bowel", "small bowel", "", kSoft},
    {217, Family::Organ, Cat::Organ, kTrain, "colon", "colon", "", kSoft | kRemovable},
    {218, Family::Organ, Cat::Organ, kTrain, "esophagus", "esophagus", "", kSoft},
    {219, Family::Organ, Cat::Organ, kTrain, "spinal cord", "spinal cord", "", kSoft},
    {220, Family::Organ, Cat::Organ, kHeldOut, "elbow", "elbow", "elbows", kJoint | kPlural},
    {221, Family::Organ, Cat::Organ, kTrain, "knee", "knee", "knees", kJoint | kPlural},
    {222, Family::Organ, Cat::Organ, kTrain, "shoulder", "shoulder", "shoulders", kJoint | kPlural},
    {223, Family::Organ, Cat::Organ, kTrain, "hip", "hip", "hips", kJoint | kPlural},
    {224, Family::Organ, Cat::Organ, kHeldOut, "breast", "breast", "breasts", kSoft | kRemovable | kPlural},
    {225, Family::Organ, Cat::Organ, kTrain, "pelvis", "pelvis", "", kBone},
    {226, Family::Organ, Cat::Organ, kHeldOut, "skull", "skull", "", kBone},
    {227, Family::Organ, Cat::Organ, kTrain, "sternum", "sternum", "", kBone},
    {228, Family::Organ, Cat::Organ, kHeldOut, "testis", "testis", "testes", kSoft | kRemovable | kPlural},
    {229, Family::Organ, Cat::Organ, kTrain, "humerus", "humerus", "", kBone},
    {230, Family::Organ, Cat::Organ, kTrain, "tibia", "tibia", "", kBone},
    {231, Family::Organ, Cat::Organ, kTrain, "duodenum", "duodenum", "", kSoft},
    {232, Family::Organ, Cat::Organ, kHeldOut, "salivary gland", "salivary gland", "salivary glands", kSoft | kRemovable | kPlural},
    {234, Family::Organ, Cat::Organ, kTrain, "wrist", "wrist", "wrists", kJoint | kPlural},
    {291, Family::Organ, Cat::Organ, kTrain, "liver", "liver", "", kOurs},
    {292, Family::Organ, Cat::Organ, kTrain, "kidney", "kidney", "kidneys", kOurs | kPlural},
    {293, Family::Organ, Cat::Organ, kTrain, "lung", "lung", "lungs", kOurs | kPlural},
    {294, Family::Organ, Cat::Organ, kTrain, "heart", "heart", "", kOurs},

    // Lines, tubes and implants (301-399).
    {301, Family::Device, Cat::Device, kTrain, "an endotracheal tube", "endotracheal tube", "", 0},
    {302, Family::Device, Cat::Device, kTrain, "a nasogastric tube", "nasogastric tube", "", 0},
    {303, Family::Device, Cat::Device, kTrain, "a central venous catheter", "central venous catheter", "", 0},
    {304, Family::Device, Cat::Device, kHeldOut, "a chest drain", "chest drain", "", 0},
    {305, Family::Device, Cat::Device, kTrain, "a pacemaker", "pacemaker", "", 0},
    {306, Family::Device, Cat::Device, kTrain, "a tracheostomy tube", "tracheostomy tube", "", 0},
    {307, Family::Device, Cat::Device, kTrain, "a PICC line", "PICC line", "", 0},
    {308, Family::Device, Cat::Device, kHeldOut, "a prosthetic heart valve", "prosthetic heart valve", "", 0},
    {309, Family::Device, Cat::Device, kTrain, "an implantable defibrillator", "implantable defibrillator", "", 0},
    {310, Family::Device, Cat::Device, kTrain, "a feeding tube", "feeding tube", "", 0},
    {311, Family::Device, Cat::Device, kTrain, "a pulmonary artery catheter", "pulmonary artery catheter", "", 0},
    {312, Family::Device, Cat::Device, kHeldOut, "an intra-aortic balloon pump", "intra-aortic balloon pump", "", 0},

    // Studies, for report requests (401-499).
    {401, Family::Study, Cat::Report, kTrain, "this study", "this study", "", 0},
    {402, Family::Study, Cat::Report, kTrain, "this chest radiograph", "this chest radiograph", "", 0},
    {403, Family::Study, Cat::Report, kTrain, "this CT", "this CT", "", 0},
    {404, Family::Study, Cat::Report, kHeldOut, "this scan", "this scan", "", 0},
    {405, Family::Study, Cat::Report, kTrain, "this film", "this film", "", 0},
    {406, Family::Study, Cat::Report, kTrain, "this examination", "this examination", "", 0},
    {407, Family::Study, Cat::Report, kTrain, "this image", "this image", "", 0},
    {408, Family::Study, Cat::Report, kHeldOut, "the abdominal CT", "the abdominal CT", "", 0},
    {409, Family::Study, Cat::Report, kTrain, "this X-ray", "this X-ray", "", 0},
    {410, Family::Study, Cat::Report, kTrain, "the current study", "the current study", "", 0},
    {411, Family::Study, Cat::Report, kTrain, "these images", "these images", "", kPlural},
    {412, Family::Study, Cat::Report, kHeldOut, "today's imaging", "today's imaging", "", 0},

    // Non-medical slots (501-599).
    {501, Family::Place, Cat::NonMedical, kTrain, "Paris", "Paris", "", 0},
    {502, Family::Place, Cat::NonMedical, kTrain, "London", "London", "", 0},
    {503, Family::Place, Cat::NonMedical, kTrain, "Tokyo", "Tokyo", "", 0},
    {504, Family::Place, Cat::NonMedical, kHeldOut, "New York", "New York", "", 0},
    {505, Family::Place, Cat::NonMedical, kTrain, "Berlin", "Berlin", "", 0},
    {506, Family::Place, Cat::NonMedical, kTrain, "Madrid", "Madrid", "", 0},
    {507, Family::Place, Cat::NonMedical, kTrain, "Sydney", "Sydney", "", 0},
    {508, Family::Place, Cat::NonMedical, kHeldOut, "Cairo", "Cairo", "", 0},
    {509, Family::Place, Cat::NonMedical, kTrain, "Toronto", "Toronto", "", 0},
    {510, Family::Place, Cat::NonMedical, kTrain, "Mumbai", "Mumbai", "", 0},
    {511, Family::Place, Cat::NonMedical, kTrain, "Rome", "Rome", "", 0},
    {512, Family::Place, Cat::NonMedical, kHeldOut, "Chicago", "Chicago", "", 0},
    {531, Family::Sport, Cat::NonMedical, kTrain, "football", "football", "", 0},
    {532, Family::Sport, Cat::NonMedical, kTrain, "basketball", "basketball", "", 0},
    {533, Family::Sport, Cat::NonMedical, kTrain, "baseball", "baseball", "", 0},
    {534, Family::Sport, Cat::NonMedical, kHeldOut, "hockey", "hockey", "", 0},
    {535, Family::Sport, Cat::NonMedical, kTrain, "tennis", "tennis", "", 0},
    {536, Family::Sport, Cat::NonMedical, kTrain, "cricket", "cricket", "", 0},
    {537, Family::Sport, Cat::NonMedical, kTrain, "rugby", "rugby", "", 0},
    {538, Family::Sport, Cat::NonMedical, kHeldOut, "volleyball", "volleyball", "", 0},
    {561, Family::Food, Cat::NonMedical, kTrain, "pasta", "pasta", "", 0},
    {562, Family::Food, Cat::NonMedical, kTrain, "rice", "rice", "", 0},
    {563, Family::Food, Cat::NonMedical, kTrain, "an omelette", "an omelette", "", 0},
    {564, Family::Food, Cat::NonMedical, kHeldOut, "pancakes", "pancakes", "", 0},
    {565, Family::Food, Cat::NonMedical, kTrain, "a steak", "a steak", "", 0},
    {566, Family::Food, Cat::NonMedical, kTrain, "soup", "soup", "", 0},
    {567, Family::Food, Cat::NonMedical, kTrain, "bread", "bread", "", 0},
    {568, Family::Food, Cat::NonMedical, kHeldOut, "lasagna", "lasagna", "", 0},
});

// ---------------------------------------------------------------------------------------------
// Templates. {a} {b} {c} are the topic's slots. Ids are stable; about a quarter of each family's
// templates are held out. Pattern texts are unique across families.
constexpr std::array kTemplates = std::to_array<Template>({
    // Findings (1-99): the item's category is the topic's (chest or elsewhere).
    {1, Family::Finding, kFromTopic, kTrain, 0, 0, "Is there {a}?"},
    {2, Family::Finding, kFromTopic, kTrain, 0, 0, "Is {a} present?"},
    {3, Family::Finding, kFromTopic, kTrain, 0, 0, "Any {b}?"},
    {4, Family::Finding, kFromTopic, kHeldOut, 0, 0, "Does the image show {a}?"},
    {5, Family::Finding, kFromTopic, kTrain, 0, 0, "Do you see {a}?"},
    {6, Family::Finding, kFromTopic, kTrain, 0, 0, "Is there evidence of {b}?"},
    {7, Family::Finding, kFromTopic, kTrain, 0, 0, "Can {a} be ruled out?"},
    {8, Family::Finding, kFromTopic, kHeldOut, 0, 0, "Are there signs of {b}?"},
    {9, Family::Finding, kFromTopic, kTrain, 0, 0, "Has {a} developed?"},
    {10, Family::Finding, kFromTopic, kTrain, 0, 0, "Is {a} absent?"},
    {11, Family::Finding, kFromTopic, kTrain, kPlural, 0, "How many {c} are there?"},
    {12, Family::Finding, kFromTopic, kHeldOut, kSided, 0, "Which side is the {b} on?"},
    {13, Family::Finding, kFromTopic, kTrain, kSized, 0, "How large is the {b}?"},
    {14, Family::Finding, kFromTopic, kTrain, kSided, 0, "Is the {b} on the left or the right?"},
    {15, Family::Finding, kFromTopic, kTrain, kSized, 0, "What is the size of the {b}?"},
    {16, Family::Finding, kFromTopic, kHeldOut, 0, 0, "Does this patient have {a}?"},
    {17, Family::Finding, kFromTopic, kTrain, 0, 0, "{b} present?"},
    {18, Family::Finding, kFromTopic, kTrain, 0, 0, "Is there any {b}?"},
    {19, Family::Finding, kFromTopic, kTrain, 0, 0, "Could this be {a}?"},
    {20, Family::Finding, kFromTopic, kHeldOut, 0, 0, "Is {a} seen on this study?"},
    {21, Family::Finding, kFromTopic, kTrain, kSided, 0, "Is there {a} on the left?"},
    {22, Family::Finding, kFromTopic, kTrain, kPlural, 0, "What is the number of {c}?"},
    {23, Family::Finding, kFromTopic, kTrain, 0, 0, "Can you see {a}?"},
    {24, Family::Finding, kFromTopic, kHeldOut, kPlural, 0, "Count the {c}."},
    {25, Family::Finding, kFromTopic, kTrain, 0, 0, "Is {a} visible?"},
    {26, Family::Finding, kFromTopic, kTrain, kSided, 0, "Is there {a} on the right side?"},
    {27, Family::Finding, kFromTopic, kTrain, 0, 0, "Rule out {b}."},
    {28, Family::Finding, kFromTopic, kHeldOut, kSized, 0, "How big is the {b}?"},

    // Organs other than ours (101-199).
    {101, Family::Organ, Cat::Organ, kTrain, kSoft, 0, "Is the {a} enlarged?"},
    {102, Family::Organ, Cat::Organ, kTrain, kSoft, 0, "What is the size of the {a}?"},
    {103, Family::Organ, Cat::Organ, kTrain, kSoft, 0, "Is the {a} normal in size?"},
    {104, Family::Organ, Cat::Organ, kHeldOut, 0, kOurs, "Does the {a} look normal?"},
    {105, Family::Organ, Cat::Organ, kTrain, kSoft, 0, "Is there a lesion in the {a}?"},
    {106, Family::Organ, Cat::Organ, kTrain, kSoft, 0, "Is there a mass in the {a}?"},
    {107, Family::Organ, Cat::Organ, kTrain, kSoft, 0, "How many lesions are in the {a}?"},
    {108, Family::Organ, Cat::Organ, kHeldOut, kSoft, 0, "Is the {a} free of lesions?"},
    {109, Family::Organ, Cat::Organ, kTrain, 0, kOurs, "Is the {a} normal?"},
    {110, Family::Organ, Cat::Organ, kTrain, kSoft, 0, "Is there inflammation of the {a}?"},
    {111, Family::Organ, Cat::Organ, kTrain, 0, kOurs, "Is the {a} calcified?"},
    {112, Family::Organ, Cat::Organ, kHeldOut, kRemovable, 0, "Has the {a} been removed?"},
    {113, Family::Organ, Cat::Organ, kTrain, 0, kOurs, "Is the {a} visible on this image?"},
    {114, Family::Organ, Cat::Organ, kTrain, 0, kOurs, "Are there abnormalities of the {a}?"},
    {115, Family::Organ, Cat::Organ, kTrain, kSoft, 0, "How large is the {a} lesion?"},
    {116, Family::Organ, Cat::Organ, kHeldOut, kSoft, 0, "Is there a hypodense lesion in the {a}?"},
    {117, Family::Organ, Cat::Organ, kTrain, kSoft | kPlural, 0, "Which {a} has a lesion?"},
    {118, Family::Organ, Cat::Organ, kTrain, kPlural, kOurs, "Are both {c} normal?"},
    {119, Family::Organ, Cat::Organ, kTrain, kSoft, 0, "Is there a tumour in the {a}?"},
    {120, Family::Organ, Cat::Organ, kHeldOut, 0, kOurs, "Is the {a} injured?"},
    {121, Family::Organ, Cat::Organ, kTrain, 0, kOurs, "Describe the {a}."},
    {122, Family::Organ, Cat::Organ, kTrain, kBone, 0, "Is the {a} fractured?"},
    {123, Family::Organ, Cat::Organ, kTrain, kBone, 0, "Is there a fracture of the {a}?"},
    {124, Family::Organ, Cat::Organ, kHeldOut, kBone, 0, "Is the {a} intact?"},
    {125, Family::Organ, Cat::Organ, kTrain, kJoint, 0, "Is the {a} dislocated?"},
    {126, Family::Organ, Cat::Organ, kTrain, kJoint, 0, "Is there arthritis in the {a}?"},
    {127, Family::Organ, Cat::Organ, kTrain, kJoint, 0, "Is there a joint effusion in the {a}?"},
    {128, Family::Organ, Cat::Organ, kHeldOut, kJoint | kPlural, 0, "Which {a} is swollen?"},

    // Other modalities, on any organ, ours included (201-299); those that only make sense for
    // soft tissue skip bones and joints. No "contrast" or "gadolinium": the header router
    // answers those words.
    {201, Family::Organ, Cat::Modality, kTrain, 0, kBone | kJoint, "Is there restricted diffusion in the {a}?"},
    {202, Family::Organ, Cat::Modality, kTrain, 0, 0, "What is the T2 signal of the {a}?"},
    {203, Family::Organ, Cat::Modality, kTrain, 0, 0, "Is the {a} hyperintense on T1-weighted images?"},
    {204, Family::Organ, Cat::Modality, kHeldOut, 0, 0, "Is there FDG uptake in the {a}?"},
    {205, Family::Organ, Cat::Modality, kTrain, 0, 0, "What is the SUV max in the {a}?"},
    {206, Family::Organ, Cat::Modality, kTrain, 0, kBone | kJoint, "Is the {a} hyperechoic on ultrasound?"},
    {207, Family::Organ, Cat::Modality, kTrain, 0, kBone | kJoint, "Is there Doppler flow in the {a}?"},
    {208, Family::Organ, Cat::Modality, kHeldOut, 0, kBone | kJoint, "What is the echogenicity of the {a}?"},
    {209, Family::Organ, Cat::Modality, kTrain, 0, kBone | kJoint, "Does the {a} lose signal on the opposed-phase MRI?"},
    {210, Family::Organ, Cat::Modality, kTrain, 0, 0, "Is there tracer uptake in the {a} on the bone scan?"},
    {211, Family::Organ, Cat::Modality, kTrain, 0, 0, "What does the FLAIR sequence show in the {a}?"},
    {212, Family::Organ, Cat::Modality, kHeldOut, 0, kBone | kJoint, "Is the {a} bright on diffusion-weighted imaging?"},
    {213, Family::Organ, Cat::Modality, kTrain, 0, kBone | kJoint, "What is the ADC value in the {a}?"},
    {214, Family::Organ, Cat::Modality, kTrain, 0, 0, "Is there increased metabolic activity in the {a} on PET?"},
    {215, Family::Organ, Cat::Modality, kTrain, 0, 0, "Is the {a} well seen on the ultrasound?"},
    {216, Family::Organ, Cat::Modality, kHeldOut, 0, kBone | kJoint, "What is the elastography stiffness of the {a}?"},
    {217, Family::Organ, Cat::Modality, kTrain, 0, 0, "Is there susceptibility artefact in the {a} on MRI?"},
    {218, Family::Organ, Cat::Modality, kTrain, 0, kBone | kJoint, "Does the {a} enhance in the arterial phase of the MRI?"},
    {219, Family::Organ, Cat::Modality, kTrain, 0, kBone | kJoint, "Is there a perfusion defect in the {a} on the nuclear scan?"},
    {220, Family::Organ, Cat::Modality, kHeldOut, 0, kBone | kJoint, "What is the resistive index of the {a} on Doppler?"},

    // Lines, tubes and implants (301-399).
    {301, Family::Device, Cat::Device, kTrain, 0, 0, "Is the {b} correctly positioned?"},
    {302, Family::Device, Cat::Device, kTrain, 0, 0, "Where is the tip of the {b}?"},
    {303, Family::Device, Cat::Device, kTrain, 0, 0, "Is the {b} in a good position?"},
    {304, Family::Device, Cat::Device, kHeldOut, 0, 0, "Does the patient have {a}?"},
    {305, Family::Device, Cat::Device, kTrain, 0, 0, "Is {a} in place?"},
    {306, Family::Device, Cat::Device, kTrain, 0, 0, "Should the {b} be repositioned?"},
    {307, Family::Device, Cat::Device, kTrain, 0, 0, "Is the {b} malpositioned?"},
    {308, Family::Device, Cat::Device, kHeldOut, 0, 0, "Was the {b} taken out?"},
    {309, Family::Device, Cat::Device, kTrain, 0, 0, "How far is the tip of the {b} from the carina?"},
    {310, Family::Device, Cat::Device, kTrain, 0, 0, "Is the {b} kinked?"},
    {311, Family::Device, Cat::Device, kTrain, 0, 0, "Has {a} been inserted?"},
    {312, Family::Device, Cat::Device, kHeldOut, 0, 0, "Is the position of the {b} satisfactory?"},

    // Report requests about a study (401-499).
    {401, Family::Study, Cat::Report, kTrain, 0, 0, "Describe the findings on {a}."},
    {402, Family::Study, Cat::Report, kTrain, 0, 0, "Write the impression for {a}."},
    {403, Family::Study, Cat::Report, kTrain, 0, 0, "Summarise {a}."},
    {404, Family::Study, Cat::Report, kHeldOut, 0, 0, "Summarize {a}."},
    {405, Family::Study, Cat::Report, kTrain, 0, kPlural, "What does {a} show?"},
    {406, Family::Study, Cat::Report, kTrain, 0, 0, "Write a report for {a}."},
    {407, Family::Study, Cat::Report, kTrain, 0, kPlural, "Is {a} normal?"},
    {408, Family::Study, Cat::Report, kHeldOut, 0, 0, "What are the abnormalities on {a}?"},
    {409, Family::Study, Cat::Report, kTrain, 0, 0, "Give a differential diagnosis for {a}."},
    {410, Family::Study, Cat::Report, kTrain, 0, 0, "Compare {a} with the previous one."},
    {411, Family::Study, Cat::Report, kTrain, 0, 0, "What is the most likely diagnosis on {a}?"},
    {412, Family::Study, Cat::Report, kHeldOut, 0, kPlural, "Is {a} of diagnostic quality?"},
    {413, Family::Study, Cat::Report, kTrain, 0, 0, "List all findings on {a}."},
    {414, Family::Study, Cat::Report, kTrain, 0, 0, "What would you recommend after {a}?"},
    {415, Family::Study, Cat::Report, kTrain, 0, 0, "Dictate a report of {a}."},
    {416, Family::Study, Cat::Report, kHeldOut, 0, 0, "Is anything abnormal on {a}?"},
    {417, Family::Study, Cat::Report, kTrain, 0, 0, "What is your impression of {a}?"},
    {418, Family::Study, Cat::Report, kTrain, 0, 0, "Has anything changed on {a} since the last exam?"},
    {419, Family::Study, Cat::Report, kTrain, 0, 0, "Explain {a} to the patient."},
    {420, Family::Study, Cat::Report, kHeldOut, 0, 0, "Interpret {a} for me."},

    // Non-medical (501-599).
    {501, Family::Place, Cat::NonMedical, kTrain, 0, 0, "What is the weather in {a} today?"},
    {502, Family::Place, Cat::NonMedical, kTrain, 0, 0, "What time is it in {a}?"},
    {503, Family::Place, Cat::NonMedical, kTrain, 0, 0, "How far is {a} from here?"},
    {504, Family::Place, Cat::NonMedical, kHeldOut, 0, 0, "Book a flight to {a}."},
    {505, Family::Place, Cat::NonMedical, kTrain, 0, 0, "What are the best restaurants in {a}?"},
    {506, Family::Place, Cat::NonMedical, kTrain, 0, 0, "Will it rain in {a} tomorrow?"},
    {507, Family::Place, Cat::NonMedical, kTrain, 0, 0, "What is the population of {a}?"},
    {508, Family::Place, Cat::NonMedical, kHeldOut, 0, 0, "How do I get to {a}?"},
    {531, Family::Sport, Cat::NonMedical, kTrain, 0, 0, "Who won the {a} game last night?"},
    {532, Family::Sport, Cat::NonMedical, kTrain, 0, 0, "What is the score of the {a} match?"},
    {533, Family::Sport, Cat::NonMedical, kTrain, 0, 0, "When does the {a} season start?"},
    {534, Family::Sport, Cat::NonMedical, kHeldOut, 0, 0, "How do you play {a}?"},
    {535, Family::Sport, Cat::NonMedical, kTrain, 0, 0, "Who is the best {a} player?"},
    {561, Family::Food, Cat::NonMedical, kTrain, 0, 0, "How do I cook {a}?"},
    {562, Family::Food, Cat::NonMedical, kTrain, 0, 0, "Is {a} healthy?"},
    {563, Family::Food, Cat::NonMedical, kTrain, 0, 0, "How many calories are in {a}?"},
    {564, Family::Food, Cat::NonMedical, kHeldOut, 0, 0, "What wine goes with {a}?"},
    {565, Family::Food, Cat::NonMedical, kTrain, 0, 0, "Where can I buy {a}?"},
});

// ---------------------------------------------------------------------------------------------
// Free-form sentences: topics 1001-1999 (a label, not words of the item), wordings 1001-9999.
struct FreeTopic {
  int id;
  Cat category;
  bool heldout;
  std::string_view name;
};

struct FreeSentence {
  int wording;
  int topic;
  bool heldout;
  std::string_view text;
};

constexpr std::array kFreeTopics = std::to_array<FreeTopic>({
    {1001, Cat::Report, kTrain, "findings"},
    {1002, Cat::Report, kTrain, "impression"},
    {1003, Cat::Report, kTrain, "summary"},
    {1004, Cat::Report, kHeldOut, "diagnosis"},
    {1005, Cat::Report, kTrain, "report"},
    {1006, Cat::Report, kTrain, "comparison with a prior"},
    {1007, Cat::Report, kTrain, "recommendation"},
    {1008, Cat::Report, kHeldOut, "overall normality"},
    {1009, Cat::Report, kTrain, "clinical management"},
    {1021, Cat::Modality, kTrain, "MRI sequence"},
    {1022, Cat::Modality, kTrain, "ultrasound technique"},
    {1023, Cat::Modality, kHeldOut, "PET"},
    {1024, Cat::Modality, kTrain, "nuclear medicine and mammography"},
    {1025, Cat::Modality, kTrain, "MRI in general"},
    {1026, Cat::Modality, kHeldOut, "CT technique"},
    {1041, Cat::NonMedical, kTrain, "weather"},
    {1042, Cat::NonMedical, kTrain, "sports results"},
    {1043, Cat::NonMedical, kTrain, "greetings"},
    {1044, Cat::NonMedical, kHeldOut, "the assistant itself"},
    {1045, Cat::NonMedical, kTrain, "scheduling"},
    {1046, Cat::NonMedical, kTrain, "arithmetic"},
    {1047, Cat::NonMedical, kTrain, "trivia"},
    {1048, Cat::NonMedical, kHeldOut, "creative requests"},
    {1049, Cat::NonMedical, kTrain, "shopping"},
    {1050, Cat::NonMedical, kTrain, "computers"},
    {1051, Cat::NonMedical, kTrain, "philosophy"},
    {1052, Cat::NonMedical, kHeldOut, "animals and plants"},
    {1053, Cat::NonMedical, kTrain, "news"},
    {1054, Cat::NonMedical, kTrain, "travel"},
    {1101, Cat::HardNegative, kTrain, "liver size"},
    {1102, Cat::HardNegative, kTrain, "free abdominal air"},
    {1103, Cat::HardNegative, kTrain, "ascites"},
    {1104, Cat::HardNegative, kTrain, "femur fracture"},
    {1105, Cat::HardNegative, kTrain, "rib count"},
    {1106, Cat::HardNegative, kTrain, "trachea"},
    {1107, Cat::HardNegative, kTrain, "pericardial effusion"},
    {1108, Cat::HardNegative, kHeldOut, "pleural effusion size"},
    {1109, Cat::HardNegative, kTrain, "pneumothorax side"},
    {1110, Cat::HardNegative, kTrain, "pneumothorax size and tension"},
    {1111, Cat::HardNegative, kTrain, "lung nodule size"},
    {1112, Cat::HardNegative, kHeldOut, "lung nodule location"},
    {1113, Cat::HardNegative, kTrain, "lung nodule character"},
    {1114, Cat::HardNegative, kTrain, "liver lesion character"},
    {1115, Cat::HardNegative, kTrain, "liver lesion location"},
    {1116, Cat::HardNegative, kHeldOut, "kidney lesion count"},
    {1117, Cat::HardNegative, kTrain, "kidney lesion size"},
    {1118, Cat::HardNegative, kTrain, "kidney lesion character"},
    {1119, Cat::HardNegative, kTrain, "kidney size and position"},
    {1120, Cat::HardNegative, kHeldOut, "heart, other than its size"},
    {1121, Cat::HardNegative, kTrain, "heart chambers"},
    {1122, Cat::HardNegative, kTrain, "lungs in general"},
    {1123, Cat::HardNegative, kTrain, "diaphragm"},
    {1124, Cat::HardNegative, kHeldOut, "mediastinum"},
    {1125, Cat::HardNegative, kTrain, "diffuse liver disease"},
    {1126, Cat::HardNegative, kTrain, "liver vessels and bile ducts"},
    {1127, Cat::HardNegative, kTrain, "change since a prior study"},
    {1128, Cat::HardNegative, kHeldOut, "cause of a finding"},
    {1129, Cat::HardNegative, kTrain, "chest bones"},
    {1130, Cat::HardNegative, kTrain, "other counts"},
    {1131, Cat::HardNegative, kTrain, "other sides"},
    {1132, Cat::HardNegative, kHeldOut, "pleura, other than fluid and air"},
    {1133, Cat::HardNegative, kTrain, "kidney function"},
    {1134, Cat::HardNegative, kTrain, "liver function"},
    {1135, Cat::HardNegative, kTrain, "breathing"},
    {1136, Cat::HardNegative, kTrain, "effusion in a joint"},
    {1137, Cat::HardNegative, kTrain, "nodules elsewhere"},
    {1138, Cat::HardNegative, kHeldOut, "heart valves"},
    {1139, Cat::HardNegative, kTrain, "image quality"},
    {1140, Cat::HardNegative, kHeldOut, "patient position"},
    {1141, Cat::HardNegative, kTrain, "lymph nodes"},
    {1142, Cat::HardNegative, kTrain, "attenuation"},
});

constexpr std::array kFreeSentences = std::to_array<FreeSentence>({
    // Report requests.
    {1001, 1001, kTrain, "Describe the findings."},
    {1002, 1001, kTrain, "What are the findings?"},
    {1003, 1001, kTrain, "Findings?"},
    {1004, 1001, kHeldOut, "List the findings."},
    {1005, 1001, kTrain, "What do you see?"},
    {1006, 1002, kTrain, "Write the impression."},
    {1007, 1002, kTrain, "Impression?"},
    {1008, 1002, kHeldOut, "Give me the impression."},
    {1009, 1003, kTrain, "Summarise this study."},
    {1010, 1003, kTrain, "Give me a summary."},
    {1011, 1003, kHeldOut, "Can you summarise the images?"},
    {1012, 1004, kTrain, "What is the diagnosis?"},
    {1013, 1004, kTrain, "What is the differential diagnosis?"},
    {1014, 1004, kTrain, "What disease does the patient have?"},
    {1015, 1004, kHeldOut, "What is wrong with this patient?"},
    {1016, 1005, kTrain, "Write a radiology report."},
    {1017, 1005, kTrain, "Generate the report."},
    {1018, 1005, kHeldOut, "Please dictate the report."},
    {1019, 1005, kTrain, "Draft a structured report."},
    {1020, 1006, kTrain, "Compare with the prior study."},
    {1021, 1006, kTrain, "Is there any change since the last study?"},
    {1022, 1006, kHeldOut, "Has the appearance improved?"},
    {1023, 1006, kTrain, "Is this worse than before?"},
    {1024, 1007, kTrain, "What follow-up do you recommend?"},
    {1025, 1007, kTrain, "Should the patient have a biopsy?"},
    {1026, 1007, kHeldOut, "Does the patient need surgery?"},
    {1027, 1007, kTrain, "What is the next step?"},
    {1028, 1008, kTrain, "Is this study normal?"},
    {1029, 1008, kTrain, "Is everything normal?"},
    {1030, 1008, kHeldOut, "Anything abnormal?"},
    {1031, 1008, kTrain, "Is there any abnormality?"},
    {1032, 1009, kTrain, "Should the patient be admitted?"},
    {1033, 1009, kTrain, "What medication should the patient take?"},
    {1034, 1009, kHeldOut, "What is the prognosis?"},
    {1035, 1009, kTrain, "Is the patient going to be okay?"},
    // Other modalities.
    {1101, 1021, kTrain, "Which MRI sequence is best for this?"},
    {1102, 1021, kTrain, "Is this a T1 or a T2 sequence?"},
    {1103, 1021, kHeldOut, "What is the echo time of this sequence?"},
    {1104, 1021, kTrain, "Was a diffusion sequence acquired?"},
    {1105, 1022, kTrain, "Was the ultrasound probe linear or curved?"},
    {1106, 1022, kTrain, "Is there posterior acoustic shadowing?"},
    {1107, 1022, kHeldOut, "Is the lesion anechoic on ultrasound?"},
    {1108, 1022, kTrain, "What is the depth setting of the ultrasound?"},
    {1109, 1023, kTrain, "What radiotracer was used for the PET?"},
    {1110, 1023, kTrain, "What is the maximum SUV?"},
    {1111, 1023, kHeldOut, "Is the PET scan positive for metastases?"},
    {1112, 1023, kTrain, "How long after injection was the PET acquired?"},
    {1113, 1024, kTrain, "Is the bone scan positive?"},
    {1114, 1024, kTrain, "Is there a hot spot on the bone scintigraphy?"},
    {1115, 1024, kHeldOut, "What does the mammogram show?"},
    {1116, 1024, kTrain, "Is the thyroid scan hot or cold?"},
    {1117, 1025, kTrain, "Should this patient get an MRI instead?"},
    {1118, 1025, kTrain, "Is the MRI of the brain normal?"},
    {1119, 1025, kHeldOut, "Are there MRI artefacts?"},
    {1120, 1025, kTrain, "What field strength was the MRI?"},
    {1121, 1026, kTrain, "What was the slice thickness?"},
    {1122, 1026, kTrain, "What kernel was used for the reconstruction?"},
    {1123, 1026, kHeldOut, "What was the radiation dose?"},
    {1124, 1026, kTrain, "Was the patient scanned prone?"},
    // Non-medical text.
    {1201, 1041, kTrain, "What is the weather today?"},
    {1202, 1041, kTrain, "Is it going to rain?"},
    {1203, 1041, kHeldOut, "How hot will it be tomorrow?"},
    {1204, 1041, kTrain, "Is it sunny outside?"},
    {1205, 1042, kTrain, "Who won the game?"},
    {1206, 1042, kTrain, "What was the final score?"},
    {1207, 1042, kHeldOut, "Did my team win?"},
    {1208, 1042, kTrain, "When is the next match?"},
    {1209, 1043, kTrain, "Hello"},
    {1210, 1043, kTrain, "Hi there"},
    {1211, 1043, kHeldOut, "Good morning"},
    {1212, 1043, kTrain, "How are you?"},
    {1213, 1043, kTrain, "Thank you"},
    {1214, 1044, kTrain, "What is your name?"},
    {1215, 1044, kTrain, "Who made you?"},
    {1216, 1044, kHeldOut, "Are you a robot?"},
    {1217, 1044, kTrain, "Can you hear me?"},
    {1218, 1045, kTrain, "Set an alarm for 7 am."},
    {1219, 1045, kTrain, "Book a meeting for tomorrow."},
    {1220, 1045, kHeldOut, "What is on my calendar?"},
    {1221, 1045, kTrain, "Remind me to call my sister."},
    {1222, 1046, kTrain, "What is 2 plus 2?"},
    {1223, 1046, kTrain, "What is the square root of 144?"},
    {1224, 1046, kHeldOut, "How much is 15 percent of 80?"},
    {1225, 1046, kTrain, "Solve x squared equals 9."},
    {1226, 1047, kTrain, "What is the capital of France?"},
    {1227, 1047, kTrain, "Who wrote Hamlet?"},
    {1228, 1047, kHeldOut, "How far away is the moon?"},
    {1229, 1047, kTrain, "How many planets are in the solar system?"},
    {1230, 1048, kTrain, "Tell me a joke."},
    {1231, 1048, kTrain, "Write a poem about the sea."},
    {1232, 1048, kHeldOut, "Translate this into French."},
    {1233, 1048, kTrain, "Play some music."},
    {1234, 1049, kTrain, "Order a pizza."},
    {1235, 1049, kTrain, "Where is the nearest pharmacy?"},
    {1236, 1049, kHeldOut, "How much does a new car cost?"},
    {1237, 1049, kTrain, "Where can I park my car?"},
    {1238, 1050, kTrain, "How do I reset my password?"},
    {1239, 1050, kTrain, "Why is the computer slow?"},
    {1240, 1050, kHeldOut, "Is the printer working?"},
    {1241, 1050, kTrain, "How do I restart the server?"},
    {1242, 1051, kTrain, "What is the meaning of life?"},
    {1243, 1051, kTrain, "Do you believe in luck?"},
    {1244, 1051, kHeldOut, "Is time travel possible?"},
    {1245, 1051, kTrain, "Why is the sky blue?"},
    {1246, 1052, kTrain, "How many legs does a spider have?"},
    {1247, 1052, kTrain, "Is a tomato a fruit?"},
    {1248, 1052, kHeldOut, "What colour is a zebra?"},
    {1249, 1052, kTrain, "How tall do oak trees grow?"},
    {1250, 1053, kTrain, "Who is the president?"},
    {1251, 1053, kTrain, "What is the news today?"},
    {1252, 1053, kHeldOut, "Who won the election?"},
    {1253, 1053, kTrain, "What is the stock price of Apple?"},
    {1254, 1054, kTrain, "How long is the flight to Boston?"},
    {1255, 1054, kTrain, "Which train goes to the airport?"},
    {1256, 1054, kHeldOut, "Where is the nearest hotel?"},
    {1257, 1054, kTrain, "What time does the bus leave?"},
    // Hard negatives: our words, another question.
    {1301, 1101, kTrain, "Is the liver enlarged?"},
    {1302, 1101, kTrain, "What is the size of the liver?"},
    {1303, 1101, kTrain, "Is there hepatomegaly?"},
    {1304, 1101, kHeldOut, "How big is the liver?"},
    {1305, 1101, kTrain, "Is the liver normal in size?"},
    {1306, 1102, kTrain, "Is there free air under the diaphragm?"},
    {1307, 1102, kTrain, "Is there pneumoperitoneum?"},
    {1308, 1102, kHeldOut, "Is there free intraperitoneal air?"},
    {1309, 1103, kTrain, "Is there fluid in the abdomen?"},
    {1310, 1103, kTrain, "Is there ascites?"},
    {1311, 1103, kHeldOut, "Is there free fluid in the pelvis?"},
    {1312, 1103, kTrain, "How much ascites is there?"},
    {1313, 1104, kTrain, "Is there a fracture of the left femur?"},
    {1314, 1104, kTrain, "Is the right femur fractured?"},
    {1315, 1104, kHeldOut, "Which femur is broken?"},
    {1316, 1105, kTrain, "How many ribs are visible?"},
    {1317, 1105, kTrain, "How many ribs can you count?"},
    {1318, 1105, kHeldOut, "Count the ribs."},
    {1319, 1106, kTrain, "Is the trachea midline?"},
    {1320, 1106, kTrain, "Is the trachea deviated?"},
    {1321, 1106, kHeldOut, "Which side is the trachea deviated to?"},
    {1322, 1107, kTrain, "Is there a pericardial effusion?"},
    {1323, 1107, kTrain, "Is there fluid around the heart?"},
    {1324, 1107, kHeldOut, "How large is the pericardial effusion?"},
    {1325, 1108, kTrain, "How large is the pleural effusion?"},
    {1326, 1108, kTrain, "What is the volume of the pleural fluid?"},
    {1327, 1108, kHeldOut, "Is the pleural effusion loculated?"},
    {1328, 1108, kTrain, "How much pleural fluid is there?"},
    {1329, 1109, kTrain, "Which side is the pneumothorax on?"},
    {1330, 1109, kTrain, "Is the pneumothorax on the left or the right?"},
    {1331, 1109, kHeldOut, "Which lung has collapsed?"},
    {1332, 1110, kTrain, "How large is the pneumothorax?"},
    {1333, 1110, kTrain, "Is it a tension pneumothorax?"},
    {1334, 1110, kHeldOut, "Is there mediastinal shift?"},
    {1335, 1110, kTrain, "What is the depth of the pneumothorax?"},
    {1336, 1111, kTrain, "How big is the largest lung nodule?"},
    {1337, 1111, kTrain, "What is the size of the pulmonary nodule?"},
    {1338, 1111, kHeldOut, "Is the nodule larger than 8 mm?"},
    {1339, 1112, kTrain, "Which lung contains the nodule?"},
    {1340, 1112, kTrain, "In which lobe is the nodule?"},
    {1341, 1112, kHeldOut, "Is the nodule in the upper lobe?"},
    {1342, 1113, kTrain, "Is the lung nodule calcified?"},
    {1343, 1113, kTrain, "Is the nodule spiculated?"},
    {1344, 1113, kHeldOut, "Is the pulmonary nodule benign?"},
    {1345, 1113, kTrain, "Has the nodule grown?"},
    {1346, 1114, kTrain, "Is the liver lesion benign?"},
    {1347, 1114, kTrain, "Is the hepatic lesion a cyst or a metastasis?"},
    {1348, 1114, kHeldOut, "Does the liver lesion enhance?"},
    {1349, 1114, kTrain, "Is the liver mass malignant?"},
    {1350, 1115, kTrain, "Which lobe of the liver has the lesion?"},
    {1351, 1115, kTrain, "In which hepatic segment is the lesion?"},
    {1352, 1115, kHeldOut, "Is the liver lesion in the right lobe?"},
    {1353, 1116, kTrain, "How many kidney lesions are there?"},
    {1354, 1116, kTrain, "How many renal masses are visible?"},
    {1355, 1116, kHeldOut, "What is the number of renal lesions?"},
    {1356, 1117, kTrain, "How large is the renal lesion?"},
    {1357, 1117, kTrain, "What size is the kidney mass?"},
    {1358, 1117, kHeldOut, "How big is the largest kidney lesion?"},
    {1359, 1118, kTrain, "Is the renal mass malignant?"},
    {1360, 1118, kTrain, "Is the kidney lesion a simple cyst?"},
    {1361, 1118, kHeldOut, "What is the Bosniak category of the renal lesion?"},
    {1362, 1119, kTrain, "Are the kidneys enlarged?"},
    {1363, 1119, kTrain, "Is the left kidney smaller than the right?"},
    {1364, 1119, kHeldOut, "Which kidney is larger?"},
    {1365, 1119, kTrain, "Are the kidneys in their normal position?"},
    {1366, 1120, kTrain, "What is the cardiothoracic ratio?"},
    {1367, 1120, kTrain, "Is there dextrocardia?"},
    {1368, 1120, kHeldOut, "Is the aortic knob calcified?"},
    {1369, 1120, kTrain, "What is the heart rate?"},
    {1370, 1121, kTrain, "Is the left atrium enlarged?"},
    {1371, 1121, kTrain, "Is the right ventricle dilated?"},
    {1372, 1121, kHeldOut, "Is the left ventricle hypertrophied?"},
    {1373, 1122, kTrain, "Are the lungs clear?"},
    {1374, 1122, kTrain, "Are the lung fields clear?"},
    {1375, 1122, kHeldOut, "Are the lungs hyperinflated?"},
    {1376, 1122, kTrain, "Are the lung volumes low?"},
    {1377, 1123, kTrain, "Is the diaphragm flattened?"},
    {1378, 1123, kTrain, "Are the domes of the diaphragm at the same height?"},
    {1379, 1123, kHeldOut, "Is the diaphragm normal?"},
    {1380, 1124, kTrain, "Is the mediastinum widened?"},
    {1381, 1124, kTrain, "Is the aortic arch enlarged?"},
    {1382, 1124, kHeldOut, "Is the mediastinal contour normal?"},
    {1383, 1125, kTrain, "Is there hepatic steatosis?"},
    {1384, 1125, kTrain, "Is the liver fatty?"},
    {1385, 1125, kHeldOut, "Is there cirrhosis of the liver?"},
    {1386, 1125, kTrain, "Is the liver surface nodular?"},
    {1387, 1126, kTrain, "Is the portal vein patent?"},
    {1388, 1126, kTrain, "Are the hepatic veins dilated?"},
    {1389, 1126, kHeldOut, "Are the bile ducts dilated?"},
    {1390, 1126, kTrain, "Is there biliary dilatation?"},
    {1391, 1127, kTrain, "Has the pleural effusion increased since the last study?"},
    {1392, 1127, kTrain, "Is the heart bigger than on the prior film?"},
    {1393, 1127, kHeldOut, "Has the liver lesion grown?"},
    {1394, 1127, kTrain, "Is the pneumothorax smaller than before?"},
    {1395, 1128, kTrain, "What is causing the pleural effusion?"},
    {1396, 1128, kTrain, "Why is the heart enlarged?"},
    {1397, 1128, kHeldOut, "What caused the pneumothorax?"},
    {1398, 1129, kTrain, "Are the vertebral bodies intact?"},
    {1399, 1129, kTrain, "Is the thoracic spine straight?"},
    {1400, 1129, kHeldOut, "Are the clavicles symmetric?"},
    {1401, 1130, kTrain, "How many vertebrae are visible?"},
    {1402, 1130, kTrain, "How many lobes does the right lung have?"},
    {1403, 1130, kHeldOut, "How many segments does the liver have?"},
    {1404, 1130, kTrain, "How many chest tubes are there?"},
    {1405, 1131, kTrain, "Which side is the aortic arch on?"},
    {1406, 1131, kTrain, "Which lung is larger?"},
    {1407, 1131, kHeldOut, "Which hemidiaphragm is higher?"},
    {1408, 1132, kTrain, "Is the pleura calcified?"},
    {1409, 1132, kTrain, "Is there a pleural mass?"},
    {1410, 1132, kHeldOut, "Is there pleural enhancement?"},
    {1411, 1133, kTrain, "Is the kidney function normal?"},
    {1412, 1133, kTrain, "What is the creatinine?"},
    {1413, 1133, kHeldOut, "Are the kidneys working?"},
    {1414, 1134, kTrain, "Are the liver enzymes raised?"},
    {1415, 1134, kTrain, "Is the liver working properly?"},
    {1416, 1134, kHeldOut, "What is the bilirubin level?"},
    {1417, 1135, kTrain, "What is the oxygen saturation?"},
    {1418, 1135, kTrain, "Is the patient short of breath?"},
    {1419, 1135, kHeldOut, "What is the lung capacity?"},
    {1420, 1136, kTrain, "Is there a knee effusion?"},
    {1421, 1136, kTrain, "Is there fluid in the shoulder joint?"},
    {1422, 1136, kHeldOut, "Is there an effusion in the ankle joint?"},
    {1423, 1137, kTrain, "Is there a subcutaneous nodule?"},
    {1424, 1137, kTrain, "Is there a nodule on the skin?"},
    {1425, 1137, kHeldOut, "Is there a vocal cord nodule?"},
    {1426, 1138, kTrain, "Is the mitral valve calcified?"},
    {1427, 1138, kTrain, "Is there aortic stenosis?"},
    {1428, 1138, kHeldOut, "Is the aortic valve replaced?"},
    {1429, 1139, kTrain, "Is the film rotated?"},
    {1430, 1139, kTrain, "Is the inspiration adequate?"},
    {1431, 1139, kHeldOut, "Is the image underexposed?"},
    {1432, 1139, kTrain, "Is there motion artefact?"},
    {1433, 1140, kTrain, "Was the patient standing?"},
    {1434, 1140, kTrain, "Is this an AP or PA film?"},
    {1435, 1140, kHeldOut, "Is the patient supine?"},
    {1436, 1141, kTrain, "Are there enlarged lymph nodes?"},
    {1437, 1141, kTrain, "Is there mediastinal lymphadenopathy?"},
    {1438, 1141, kHeldOut, "How many lymph nodes are enlarged?"},
    {1439, 1142, kTrain, "What is the liver attenuation?"},
    {1440, 1142, kTrain, "What is the Hounsfield unit of the lesion?"},
    {1441, 1142, kHeldOut, "What is the density of the liver?"},
});

// ---------------------------------------------------------------------------------------------
// Nonsense: topics 2001-2048 (batches, every fourth held out), wordings 601-608 (patterns).
constexpr int kNonsenseFirstTopic = 2001;
constexpr int kNonsenseTopics = 48;
constexpr std::uint64_t kNonsenseSeed = 0x6E6F6E73656E7365ULL;  // fixed: the catalogue never depends on a run's seed

struct Pattern {
  int id;
  bool heldout;
  std::string_view name;
};

constexpr std::array kPatterns = std::to_array<Pattern>({
    {601, kTrain, "keyboard mash"},
    {602, kTrain, "random lower-case words"},
    {603, kTrain, "letters and digits"},
    {604, kHeldOut, "pronounceable pseudo-words"},
    {605, kTrain, "one long run of letters"},
    {606, kTrain, "repeated syllables"},
    {607, kTrain, "word salad"},
    {608, kHeldOut, "mixed-case letters"},
});

constexpr std::array<std::string_view, 3> kKeyboardRows = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kConsonants = "bcdfghjklmnprstvwz";
constexpr std::string_view kVowels = "aeiou";
constexpr std::array<std::string_view, 40> kSaladWords = {
    "apple",  "river",   "quickly", "purple", "window",   "seven",    "garden", "orange", "slowly", "mountain",
    "paper",  "bicycle", "cloud",   "happy",  "yellow",   "guitar",   "candle", "silver", "pocket", "morning",
    "banana", "ladder",  "violin",  "forest", "kitchen",  "softly",   "thunder", "pillow", "rocket", "marble",
    "copper", "island",  "basket",  "velvet", "umbrella", "carefully", "lemon",  "feather", "bridge", "harbour"};

std::string lettersFrom(Rng& rng, std::string_view alphabet, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += alphabet[rng.next() % alphabet.size()];
  return out;
}

// Consonant, vowel and maybe a closing consonant, drawn in that order (one statement each: the
// order of evaluation of a + b is unspecified, and every build must draw the same letters).
std::string syllable(Rng& rng, bool closed) {
  std::string out = lettersFrom(rng, kConsonants, 1);
  out += lettersFrom(rng, kVowels, 1);
  if (closed) out += lettersFrom(rng, kConsonants, 1);
  return out;
}

std::string nonsense(int topic, int pattern) {
  Rng rng(kNonsenseSeed, "out-of-scope nonsense", {static_cast<std::uint64_t>(topic), static_cast<std::uint64_t>(pattern)});
  std::vector<std::string> words;
  std::string_view end = rng.chance(0.7) ? "?" : "";
  switch (pattern) {
    case 601:  // runs of neighbouring keys: "asdf qwer zxcv?"
      for (int i = 0, n = rng.integer(2, 4); i < n; ++i) {
        const std::string_view row = kKeyboardRows[rng.next() % kKeyboardRows.size()];
        const int length = rng.integer(3, 5);
        const int start = rng.integer(0, static_cast<int>(row.size()) - length);
        words.emplace_back(row.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(length)));
      }
      break;
    case 602:
      for (int i = 0, n = rng.integer(1, 4); i < n; ++i) words.push_back(lettersFrom(rng, kLetters, rng.integer(2, 8)));
      break;
    case 603:
      for (int i = 0, n = rng.integer(2, 3); i < n; ++i) {
        std::string word = lettersFrom(rng, "abcdefghijklmnopqrstuvwxyz0123456789", rng.integer(3, 6));
        const std::size_t at = rng.next() % word.size();
        word[at] = static_cast<char>('0' + rng.integer(0, 9));
        words.push_back(word);
      }
      break;
    case 604:
      for (int i = 0, n = rng.integer(2, 4); i < n; ++i) {
        std::string word;
        for (int s = 0, syllables = rng.integer(2, 3); s < syllables; ++s) word += syllable(rng, false);
        words.push_back(word);
      }
      break;
    case 605:
      words.push_back(lettersFrom(rng, kLetters, rng.integer(12, 24)));
      end = "";
      break;
    case 606:
      for (int i = 0, n = rng.integer(1, 3); i < n; ++i) {
        const std::string unit = syllable(rng, rng.chance(0.5));
        std::string word;
        for (int r = 0, repeats = rng.integer(3, 5); r < repeats; ++r) word += unit;
        words.push_back(word);
      }
      break;
    case 607:
      for (int i = 0, n = rng.integer(3, 6); i < n; ++i) words.emplace_back(kSaladWords[rng.next() % kSaladWords.size()]);
      if (end.empty()) end = ".";
      break;
    default:  // 608
      for (int i = 0, n = rng.integer(2, 4); i < n; ++i) {
        std::string word = lettersFrom(rng, kLetters, rng.integer(2, 7));
        for (char& c : word)
          if (rng.chance(0.5)) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        words.push_back(word);
      }
      break;
  }
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  if (pattern == 607) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  text += end;
  return text;
}

// ---------------------------------------------------------------------------------------------

std::string fill(std::string_view pattern, const Topic& topic) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}') {
      const char slot = pattern[i + 1];
      out += slot == 'a' ? topic.a : slot == 'b' ? topic.b : topic.c;
      i += 2;
    } else {
      out += pattern[i];
    }
  }
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

bool applies(const Template& t, const Topic& topic) {
  if (t.family != topic.family) return false;
  if ((topic.flags & t.needs) != t.needs) return false;
  if ((topic.flags & t.excludes) != 0) return false;
  // Our organs take the modality templates only; every other organ template asks something one
  // of our types could be read as answering ("Is the liver free of lesions?").
  if ((topic.flags & kOurs) != 0 && t.category != Cat::Modality) return false;
  return true;
}

// The same question in other letters ("Summarise" / "summarise", a stray space) is one item:
// lower case, letters and digits only.
std::string normalised(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

struct Catalogue {
  std::vector<OutOfScopeQuestion> questions;
  std::vector<OutOfScopeTopic> topics;
  std::vector<OutOfScopeWording> wordings;
  std::vector<std::string> nonsenseNames;  // storage for the nonsense topics' names
};

Catalogue build() {
  Catalogue c;
  c.nonsenseNames.reserve(kNonsenseTopics);
  for (const Topic& t : kTopics) c.topics.push_back({t.id, t.category, t.heldout, t.b});
  for (const FreeTopic& t : kFreeTopics) c.topics.push_back({t.id, t.category, t.heldout, t.name});
  for (int i = 0; i < kNonsenseTopics; ++i) {
    c.nonsenseNames.push_back("nonsense batch " + std::to_string(i + 1));
    c.topics.push_back({kNonsenseFirstTopic + i, Cat::Nonsense, i % 4 == 3, c.nonsenseNames.back()});
  }
  for (const Template& t : kTemplates) c.wordings.push_back({t.id, t.heldout, t.text});
  for (const FreeSentence& s : kFreeSentences) c.wordings.push_back({s.wording, s.heldout, s.text});
  for (const Pattern& p : kPatterns) c.wordings.push_back({p.id, p.heldout, p.name});

  std::set<std::string> seen;
  const auto add = [&](int topic, int wording, Cat category, bool heldout, std::string text) {
    if (!seen.insert(normalised(text)).second) return;  // first of equal texts wins
    c.questions.push_back({topic * 10000 + wording, topic, wording, category, heldout, std::move(text)});
  };
  for (const Template& t : kTemplates) {
    for (const Topic& topic : kTopics) {
      if (!applies(t, topic)) continue;
      add(topic.id, t.id, t.category == kFromTopic ? topic.category : t.category, t.heldout || topic.heldout,
          fill(t.text, topic));
    }
  }
  for (const FreeSentence& s : kFreeSentences) {
    const auto topic = std::find_if(kFreeTopics.begin(), kFreeTopics.end(), [&](const FreeTopic& t) { return t.id == s.topic; });
    add(s.topic, s.wording, topic->category, s.heldout || topic->heldout, std::string(s.text));
  }
  for (int i = 0; i < kNonsenseTopics; ++i) {
    for (const Pattern& p : kPatterns)
      add(kNonsenseFirstTopic + i, p.id, Cat::Nonsense, p.heldout || i % 4 == 3, nonsense(kNonsenseFirstTopic + i, p.id));
  }
  const auto byId = [](const auto& x, const auto& y) { return x.id < y.id; };
  std::sort(c.questions.begin(), c.questions.end(), byId);
  std::sort(c.topics.begin(), c.topics.end(), byId);
  std::sort(c.wordings.begin(), c.wordings.end(), byId);
  return c;
}

const Catalogue& catalogue() {
  static const Catalogue c = build();
  return c;
}

template <typename T>
const T* findById(const std::vector<T>& rows, int id) {
  const auto it = std::lower_bound(rows.begin(), rows.end(), id, [](const T& row, int value) { return row.id < value; });
  return it != rows.end() && it->id == id ? &*it : nullptr;
}

// Every free sentence names a listed topic, and topic and wording ids fit the item id scheme.
static_assert([] {
  for (const FreeSentence& s : kFreeSentences) {
    bool found = false;
    for (const FreeTopic& t : kFreeTopics) found = found || t.id == s.topic;
    if (!found || s.wording < 1000 || s.wording >= 10000) return false;
  }
  for (const Template& t : kTemplates)
    if (t.id < 1 || t.id >= 600) return false;
  return true;
}());

}  // namespace

std::string_view toString(OutOfScopeCategory category) {
  switch (category) {
    case Cat::ChestFinding: return "chest_finding";
    case Cat::OtherFinding: return "other_finding";
    case Cat::Organ: return "organ";
    case Cat::Modality: return "modality";
    case Cat::Device: return "device";
    case Cat::Report: return "report";
    case Cat::NonMedical: return "non_medical";
    case Cat::Nonsense: return "nonsense";
    case Cat::HardNegative: return "hard_negative";
  }
  return "unknown";
}

std::span<const OutOfScopeQuestion> outOfScopeQuestions() { return catalogue().questions; }
std::span<const OutOfScopeTopic> outOfScopeTopics() { return catalogue().topics; }
std::span<const OutOfScopeWording> outOfScopeWordings() { return catalogue().wordings; }
const OutOfScopeQuestion* findOutOfScopeQuestion(int id) { return findById(catalogue().questions, id); }
const OutOfScopeTopic* findOutOfScopeTopic(int id) { return findById(catalogue().topics, id); }
const OutOfScopeWording* findOutOfScopeWording(int id) { return findById(catalogue().wordings, id); }

}  // namespace medvqa::synth
