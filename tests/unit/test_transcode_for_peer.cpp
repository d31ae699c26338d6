// What a C-GET / C-MOVE peer that accepts only uncompressed syntaxes receives for an instance
// stored compressed: JPEG 2000 decoded with OpenJPEG (DCMTK has no codec), the other syntaxes with
// DCMTK's, and every attribute but the pixel encoding as it was.

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/error.h"
#include "dicom/transcode.h"
#include "test_imaging_support.h"

namespace medvqa {
namespace {

using imaging::testing::makeFile;
using imaging::testing::phantom;
using imaging::testing::TempDir;
using imaging::testing::TestImage;
using imaging::testing::writeFile;
using imaging::testing::writeJ2k;

std::unique_ptr<DcmFileFormat> load(const std::filesystem::path& file) {
  auto format = std::make_unique<DcmFileFormat>();
  EXPECT_TRUE(format->loadFile(file.c_str()).good()) << file;
  return format;
}

// The data set as a peer receives it in explicit VR little endian: every element, pixels included.
std::string encoded(DcmDataset& ds) {
  EXPECT_TRUE(ds.canWriteXfer(EXS_LittleEndianExplicit));
  std::string buffer(ds.calcElementLength(EXS_LittleEndianExplicit, EET_ExplicitLength) + 1024, '\0');
  DcmOutputBufferStream out(buffer.data(), buffer.size());
  ds.transferInit();
  EXPECT_TRUE(ds.write(out, EXS_LittleEndianExplicit, EET_ExplicitLength, nullptr).good());
  ds.transferEnd();
  void* written = nullptr;
  offile_off_t size = 0;
  out.flushBuffer(written, size);
  return buffer.substr(0, static_cast<std::size_t>(size));
}

// Every attribute but Pixel Data, encoded (the encoders of the test files add some, such as
// Derivation Description: they are part of what was stored, and must reach the peer).
std::string withoutPixels(DcmDataset& ds) {
  DcmDataset copy(ds);
  copy.findAndDeleteElement(DCM_PixelData);
  return encoded(copy);
}

std::vector<Uint16> nativeWords(DcmDataset& ds) {
  const Uint16* words = nullptr;
  unsigned long count = 0;
  if (ds.findAndGetUint16Array(DCM_PixelData, words, &count).bad() || words == nullptr) return {};
  return {words, words + count};
}

std::string stringOf(DcmDataset& ds, const DcmTagKey& tag) {
  OFString value;
  ds.findAndGetOFStringArray(tag, value);
  return value.c_str();
}

TestImage greyImage(int frames) {
  TestImage image;
  image.rows = 24;
  image.columns = 20;
  image.frames = frames;
  image.isSigned = true;
  image.samples = phantom(image.rows, image.columns, frames, 1, -1024, 3000);
  return image;
}

TestImage rgbImage() {
  TestImage image;
  image.rows = 16;
  image.columns = 12;
  image.samplesPerPixel = 3;
  image.bitsAllocated = image.bitsStored = 8;
  image.photometric = "RGB";
  image.modality = "OT";
  image.samples = phantom(image.rows, image.columns, 1, 3, 0, 255);
  return image;
}

TEST(TranscodeForPeer, LosslessJpeg2000BecomesTheNativeDataSetItWasMadeFrom) {
  const TestImage image = greyImage(3);
  TempDir dir;
  auto stored = load(writeJ2k(image, dir / "j2k.dcm", true));
  DcmDataset& ds = *stored->getDataset();
  ds.insertEmptyElement(DCM_ExtendedOffsetTable);  // encapsulation only: must not survive
  dicom::transcodeForPeer(ds, EXS_LittleEndianExplicit);
  // Pixels, Number of Frames and every other attribute: byte for byte the uncompressed original.
  EXPECT_EQ(encoded(ds), encoded(*makeFile(image)->getDataset()));

  // A single frame's Number of Frames, which a multi-frame IOD requires, stays.
  auto single = load(writeJ2k(greyImage(1), dir / "single.dcm", true));
  DcmDataset& one = *single->getDataset();
  one.putAndInsertString(DCM_NumberOfFrames, "1");
  dicom::transcodeForPeer(one, EXS_LittleEndianImplicit);
  EXPECT_EQ(stringOf(one, DCM_NumberOfFrames), "1");
  EXPECT_TRUE(one.canWriteXfer(EXS_LittleEndianImplicit));
}

TEST(TranscodeForPeer, ColourJpeg2000BecomesRgbAndALossyOneStaysMarkedLossy) {
  const TestImage rgb = rgbImage();
  TempDir dir;
  auto stored = load(writeJ2k(rgb, dir / "rct.dcm", true));
  ASSERT_EQ(stringOf(*stored->getDataset(), DCM_PhotometricInterpretation), "YBR_RCT");
  dicom::transcodeForPeer(*stored->getDataset(), EXS_LittleEndianExplicit);
  // RGB, Planar Configuration 0, exact pixels: the data set the J2K file was written from.
  EXPECT_EQ(encoded(*stored->getDataset()), encoded(*makeFile(rgb)->getDataset()));

  TestImage big = rgbImage();
  big.rows = big.columns = 48;  // big enough for a 4:1 wavelet code to stay close
  big.samples = phantom(big.rows, big.columns, 1, 3, 0, 255);
  auto lossy = load(writeJ2k(big, dir / "ict.dcm", false, 4.0f));
  DcmDataset& ds = *lossy->getDataset();
  ASSERT_EQ(stringOf(ds, DCM_PhotometricInterpretation), "YBR_ICT");
  dicom::transcodeForPeer(ds, EXS_LittleEndianExplicit);
  EXPECT_EQ(stringOf(ds, DCM_PhotometricInterpretation), "RGB");
  EXPECT_EQ(stringOf(ds, DCM_PlanarConfiguration), "0");
  EXPECT_EQ(stringOf(ds, DCM_LossyImageCompression), "01");
  const Uint8* pixels = nullptr;
  unsigned long count = 0;
  ASSERT_TRUE(ds.findAndGetUint8Array(DCM_PixelData, pixels, &count).good());
  ASSERT_EQ(count, big.samples.size());
  double error = 0;
  for (std::size_t i = 0; i < count; ++i) error += std::abs(double(pixels[i]) - big.samples[i]);
  EXPECT_LT(error / double(count), 6.0) << "a lossy copy of the original, not noise";
}

TEST(TranscodeForPeer, OtherCompressedSyntaxesAreDecodedByDcmtk) {
  const TestImage image = greyImage(2);
  TempDir dir;
  for (const E_TransferSyntax xfer : {EXS_JPEGLSLossless, EXS_RLELossless, EXS_JPEGProcess14SV1}) {
    SCOPED_TRACE(DcmXfer(xfer).getXferName());
    const auto file = writeFile(*makeFile(image), dir / "compressed.dcm", xfer);
    auto stored = load(file);
    dicom::transcodeForPeer(*stored->getDataset(), EXS_BigEndianExplicit);
    EXPECT_TRUE(stored->getDataset()->canWriteXfer(EXS_BigEndianExplicit));
    EXPECT_EQ(withoutPixels(*stored->getDataset()), withoutPixels(*load(file)->getDataset()));
    EXPECT_EQ(nativeWords(*stored->getDataset()), nativeWords(*makeFile(image)->getDataset()));
  }
}

int errorCodeOf(DcmDataset& ds, E_TransferSyntax target, std::string& message) {
  try {
    dicom::transcodeForPeer(ds, target);
  } catch (const Error& e) {
    message = e.what();
    return static_cast<int>(e.code());
  }
  return -1;
}

TEST(TranscodeForPeer, ACompressedTargetOrACorruptCodestreamIsADicomError) {
  TempDir dir;
  auto stored = load(writeJ2k(greyImage(1), dir / "j2k.dcm", true));
  std::string message;
  EXPECT_EQ(errorCodeOf(*stored->getDataset(), EXS_JPEGLSLossless, message), static_cast<int>(ErrorCode::Dicom));
  EXPECT_NE(message.find("JPEG-LS"), std::string::npos) << message;

  // Half a codestream, as a truncated transfer would leave it.
  DcmElement* element = nullptr;
  ASSERT_TRUE(stored->getDataset()->findAndGetElement(DCM_PixelData, element).good());
  DcmPixelSequence* sequence = nullptr;
  ASSERT_TRUE(static_cast<DcmPixelData*>(element)
                  ->getEncapsulatedRepresentation(EXS_JPEG2000LosslessOnly, nullptr, sequence)
                  .good());
  DcmPixelItem* fragment = nullptr;
  ASSERT_TRUE(sequence->getItem(fragment, 1).good());
  Uint8* bytes = nullptr;
  fragment->getUint8Array(bytes);
  std::vector<Uint8> half(bytes, bytes + fragment->getLength() / 2);
  fragment->putUint8Array(half.data(), Uint32(half.size()));
  EXPECT_EQ(errorCodeOf(*stored->getDataset(), EXS_LittleEndianExplicit, message), static_cast<int>(ErrorCode::Dicom));
  EXPECT_NE(message.find("JPEG 2000"), std::string::npos) << message;
}

}  // namespace
}  // namespace medvqa
