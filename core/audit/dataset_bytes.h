#pragma once

#include <dcmtk/dcmdata/dcdatset.h>

#include <string>

namespace medvqa::audit {

// A data set's bytes in the transfer syntax it arrived in (explicit VR little endian for one made
// in memory), with that syntax's UID: what a Query audit message carries as the query. Empty
// bytes when DCMTK cannot encode it.
struct DatasetBytes {
  std::string bytes;
  std::string transferSyntaxUid;
};
DatasetBytes encodedAsReceived(DcmDataset& dataset);

}  // namespace medvqa::audit
