#pragma once

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <string>

namespace medvqa::dicom {

// The one in-memory DICOM encoder. Error(Dicom) when DCMTK cannot encode.
//
// A data set alone, in `xfer` (no preamble, no File Meta Information): what a Query audit
// message carries as the query.
std::string datasetBytes(DcmDataset& dataset, E_TransferSyntax xfer);
// A data set as a DICOM Part 10 file (preamble, File Meta Information, explicit VR little
// endian): what the plugin stores into Orthanc. Encodes a copy: the caller's data set is untouched.
std::string part10Bytes(DcmDataset& dataset);

}  // namespace medvqa::dicom
