#pragma once

#include "api/answer_api.h"

namespace medvqa::scp {

// The audit trail as the HTTP API sees it: where to record (null: audit off) and the node's AE
// title, which names the node in each message. The answer API's own (api/answer_api.h): the
// node's refusals and the questions asked go to the same trail.
using HttpAudit = api::ApiAudit;

}  // namespace medvqa::scp
