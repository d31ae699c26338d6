// The built-in header-question table: a copy of models/header-questions.json, so `medvqa ask`
// and the node route questions with no extra file. Edit both together; the unit test
// VqaRouter.DefaultTableEqualsModelsFile fails when they differ.
#include "vqa/question_router.h"

namespace medvqa::vqa {

const char* QuestionRouter::defaultTableJson() {
  return R"json({
  "format": 1,
  "comment": "Questions that DICOM attributes answer exactly. Patterns are ECMAScript regexes searched in the normalised question (lower case, contractions expanded, punctuation removed: \"What's the patient's sex?\" is seen as \"what is the patient sex\"). First match wins; no match goes to the model. core/vqa/header_questions_default.cpp holds the same table as the built-in default (a unit test keeps them equal).",
  "questions": [
    {"attribute": "modality", "patterns": [
      "\\bmodality\\b",
      "\\bwhat (kind|type|sort) of (scan|study|exam|examination|imaging|image|images)\\b",
      "\\bhow was (this|the) (image|study|scan) (acquired|obtained|taken)\\b"
    ]},
    {"attribute": "imaging_plane", "patterns": [
      "\\b(imaging|image|scan|slice|acquisition|anatomical) plane\\b",
      "\\b(which|what) plane\\b",
      "\\bin (which|what) plane\\b",
      "\\b(axial|coronal|sagittal) or (axial|coronal|sagittal)\\b",
      "\\borientation of (the|this) (image|slice|scan)\\b"
    ]},
    {"attribute": "body_part", "patterns": [
      "\\bbody part\\b",
      "\\b(what|which) (part of the body|anatomy|anatomical region|body region|region of the body)\\b",
      "\\bwhat (is|was) (being )?(imaged|scanned|examined)\\b",
      "\\b(which|what) organ (is|was) (imaged|scanned|examined)\\b"
    ]},
    {"attribute": "laterality", "patterns": [
      "\\b(image|series|study|exam|examination|scan|radiograph) laterality\\b",
      "\\blaterality of (the |this )?(image|series|study|exam|examination|scan|radiograph|x ray|body part)\\b",
      "^(what is )?(the )?laterality$",
      "\\bwhich side (is|was) (being )?(imaged|scanned|examined|x rayed)\\b",
      "\\bis this (a |the )?(left|right) or (left|right) (side|breast|knee|hand|foot|shoulder|hip|wrist|ankle|elbow)\\b"
    ]},
    {"attribute": "patient_sex", "patterns": [
      "\\b(sex|gender)\\b",
      "\\b(male|female|man|woman) or (a )?(male|female|man|woman)\\b"
    ]},
    {"attribute": "patient_age", "patterns": [
      "\\bhow old\\b",
      "\\bpatient age\\b",
      "\\bage of (the|this) patient\\b",
      "\\bwhat (is the )?age\\b"
    ]},
    {"attribute": "study_date", "patterns": [
      "\\b(study|exam|examination|scan|acquisition) date\\b",
      "\\bdate of (the |this )?(study|scan|exam|examination|acquisition)\\b",
      "\\bwhen was (this|the) (study|scan|exam|examination|image|x ray|radiograph) (done|performed|taken|acquired|made)\\b",
      "\\bwhat date\\b"
    ]},
    {"attribute": "contrast_agent", "patterns": [
      "\\bcontrast\\b",
      "\\bgadolinium\\b"
    ]}
  ]
}
)json";
}

}  // namespace medvqa::vqa
