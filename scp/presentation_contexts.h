#pragma once

#include <dcmtk/dcmnet/scpcfg.h>

namespace medvqa::scp {

// What the node accepts: Verification; Patient/Study Root FIND, GET and MOVE; every standard
// storage SOP class in the transfer syntaxes hospitals send (compressed ones preferred, so an
// instance is kept as its modality encoded it). Storage contexts also accept the SCP role that
// a C-GET SCU proposes for them.
void addNodePresentationContexts(DcmSCPConfig& config);

}  // namespace medvqa::scp
