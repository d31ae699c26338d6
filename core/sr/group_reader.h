#pragma once

// One TID 1501 measurement group, as answer_group.cpp and group_extensions.cpp wrote it, back
// into a vqa::Answer.

#include "sr/content_tree.h"
#include "vqa/answer.h"

namespace medvqa::sr {

// True when the group holds a 99MEDVQA question: a group MedVQA wrote.
bool isAnswerGroup(const ContentItem& group);

// Error(InvalidArgument) naming `label` and what is missing or malformed.
vqa::Answer answerFromGroup(const ContentItem& group, const std::string& label);

}  // namespace medvqa::sr
