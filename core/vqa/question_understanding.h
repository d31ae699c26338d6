#pragma once

// The first stage of every question: what is being asked, before anything is answered.
// A question is either one the DICOM header answers exactly (the QuestionRouter's table), one of
// the model's question types (with its polarity: "Is the heart normal in size?" is the
// cardiomegaly type asked the other way round), or not a question this model answers. The model
// reads the question with its exported `understand` method (manifest format 2); a model without
// it (format 1) cannot tell, and its questions go to the answer head unscreened.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vqa/header_attribute.h"
#include "vqa/model.h"
#include "vqa/question_router.h"

namespace medvqa::vqa {

struct Understanding {
  enum class Kind {
    Header,       // `attribute` answers it
    ModelType,    // `type` of the manifest's question types
    Unscreened,   // the model cannot say (no `understand`): the answer head gets the words as asked
    Unsupported,  // not a question this model answers; `reason` says so
  };
  Kind kind = Kind::Unsupported;
  std::optional<HeaderAttribute> attribute;
  std::size_t type = 0;
  bool inverse = false;     // only for closed types
  double confidence = 0.0;  // of the type (or of "none" when unsupported)
  std::string reason;
};

class QuestionUnderstanding {
 public:
  // Both must outlive this object.
  QuestionUnderstanding(const Model& model, const QuestionRouter& router);

  // One reading per question, with one forward pass of `understand` for all model questions.
  std::vector<Understanding> understand(std::span<const std::string> questions) const;
  Understanding understand(std::string_view question) const;

 private:
  Understanding fromReading(const QuestionReading& reading) const;
  std::string unsupportedReason(std::string_view closest, double confidence) const;

  const Model& model_;
  const QuestionRouter& router_;
};

}  // namespace medvqa::vqa
