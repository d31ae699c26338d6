#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/assoc.h>

#include <set>
#include <string>

namespace medvqa::scp {

// Answers the SCU's SOP Class Extended Negotiation for the Query/Retrieve FIND SOP classes
// (PS3.4 C.5.1.1): combined date-time matching is accepted when asked for; relational queries,
// fuzzy semantic matching of person names, time zone query adjustment and enhanced multi-frame
// image conversion are declined. Call once the presentation contexts are accepted and before the
// A-ASSOCIATE-AC is sent. Returns the FIND SOP class UIDs that got combined date-time matching.
std::set<std::string> answerQueryExtendedNegotiation(T_ASC_Association& assoc);

}  // namespace medvqa::scp
