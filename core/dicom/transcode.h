#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcxfer.h>

class DcmDataset;

namespace medvqa::dicom {

// Makes a stored instance's data set writable in `target`, an uncompressed transfer syntax the
// retrieving peer accepted instead of the stored one (C-GET / C-MOVE sub-operations). Compressed
// pixel data is decoded: JPEG, JPEG-LS and RLE by DCMTK's codecs, JPEG 2000 (which DCMTK 3.6.7
// lacks) by OpenJPEG. Every other attribute is kept except what decoding changes: Photometric
// Interpretation YBR_RCT / YBR_ICT become RGB, Planar Configuration becomes 0 (colour pixels come
// out interleaved), the encapsulation-only Extended Offset Table goes. Lossy Image Compression is
// left as it was: a lossy image stays marked lossy. Throws Error(Dicom) naming both syntaxes when
// it cannot (a compressed `target`: the node only decodes; corrupt pixel data).
void transcodeForPeer(DcmDataset& dataset, E_TransferSyntax target);

}  // namespace medvqa::dicom
