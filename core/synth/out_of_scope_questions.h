// Questions the demo model does not answer: the negatives that teach and measure its "none of
// these" class (issue 11).
//
// Why it is shaped so:
// - A radiologist asks about anything; a model that has only seen its own ten types will map
//   every question onto one of them. The negatives must therefore cover what people really type
//   to such a tool: other chest findings, other organs and their findings, lines and tubes, other
//   modalities (MRI sequences, ultrasound, PET), report requests, non-medical text, nonsense,
//   and above all hard negatives that share words with our types but ask something else ("Is
//   the liver enlarged?", "Which side is the pneumothorax on?", "Is the liver normal in size?").
// - Generated as templates x topics (a finding, an organ, a device, a study, a place ... fills
//   a slot) plus free-form sentences, so a few hundred lines give thousands of distinct items,
//   and so that held-out shares are real: a quarter of the topics and a quarter of the
//   wordings (templates, free-form sentences, nonsense patterns) are held out, and an item is
//   held out when its topic or its wording is. A held-out topic's name appears in no training
//   item, and a held-out template is used by no training item: the held-out refusal rate
//   measures generalisation to new subjects and new sentence shapes, not recall.
// - Nothing here is one of our types in other words or ambiguous with one ("Are there lung
//   nodules?", "Is there a liver cyst?", "Is there an effusion?" are left out): a negative that
//   is really a positive would teach the model to refuse its own questions. Header questions
//   (modality, contrast, patient age ...) are left out too: core/vqa answers them from the DICOM
//   header before the model sees them. Unit tests check both.
// - Deterministic and stable: topics, templates and sentences carry explicit ids and are only
//   ever appended; an item's id is topic * 10000 + wording, so adding rows never renumbers one.
//   Nonsense strings are drawn from a fixed seed per (topic, pattern).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace medvqa::synth {

enum class OutOfScopeCategory {
  ChestFinding,  // a chest finding none of our types asks about (consolidation, rib fracture ...)
  OtherFinding,  // a finding elsewhere in the body (brain bleed, appendicitis, gallstones ...)
  Organ,         // an organ other than ours, asked about as a whole (spleen size, pancreas ...)
  Modality,      // MRI sequences, ultrasound, PET and nuclear medicine, CT technique
  Device,        // lines, tubes and implants
  Report,        // "Describe the findings.", "Write the impression.", comparisons, management
  NonMedical,    // weather, sports, small talk
  Nonsense,      // random letter strings, word salad
  HardNegative,  // shares words with our types but asks something else
};

std::string_view toString(OutOfScopeCategory category);  // "chest_finding", "other_finding", ...

struct OutOfScopeTopic {
  int id;  // stable
  OutOfScopeCategory category;
  bool heldout;           // every item about it is held out of training
  std::string_view name;  // the words that name it ("rib fracture", "spleen"); a label for free-form topics
};

struct OutOfScopeWording {
  int id;  // stable
  bool heldout;           // every item using it is held out of training
  std::string_view text;  // a template with {a} {b} {c} slots, a free-form sentence or a nonsense pattern's name
};

struct OutOfScopeQuestion {
  int id;       // stable: topic * 10000 + wording; written to truth.jsonl as "phrasing"
  int topic;    // OutOfScopeTopic::id
  int wording;  // OutOfScopeWording::id
  OutOfScopeCategory category;
  bool heldout;  // its topic or its wording is held out
  std::string text;
};

/// Every item, in id order; built once (thread-safe), identical on every run.
std::span<const OutOfScopeQuestion> outOfScopeQuestions();
std::span<const OutOfScopeTopic> outOfScopeTopics();      // in id order
std::span<const OutOfScopeWording> outOfScopeWordings();  // in id order
/// nullptr when no item (topic, wording) has this id.
const OutOfScopeQuestion* findOutOfScopeQuestion(int id);
const OutOfScopeTopic* findOutOfScopeTopic(int id);
const OutOfScopeWording* findOutOfScopeWording(int id);

}  // namespace medvqa::synth
