#include "test_imaging_support.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <random>
#include <stdexcept>
// The versioned folder is not on this target's include path (medvqa_core links OpenJPEG
// privately); openjpeg.h finds its own opj_config.h next to itself.
#include <openjpeg-2.5/openjpeg.h>

namespace medvqa::imaging::testing {
namespace {

// DicomImage tells at INFO, once per image, that the rescale is left to the caller (which
// core/imaging asks for on purpose); keep the test output readable.
const bool quietDicomImage = [] {
  OFLog::getLogger("dcmtk.dcmimgle").setLogLevel(OFLogger::WARN_LOG_LEVEL);
  return true;
}();

void registerEncoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJEncoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
  });
}

void check(const OFCondition& status, const std::string& what) {
  if (status.bad()) throw std::runtime_error(what + ": " + status.text());
}

void putPixels(DcmDataset& ds, const TestImage& image) {
  if (image.bitsAllocated == 8) {
    std::vector<Uint8> bytes(image.samples.begin(), image.samples.end());
    check(ds.putAndInsertUint8Array(DCM_PixelData, bytes.data(), bytes.size()), "pixel data");
  } else {
    std::vector<Uint16> words;
    words.reserve(image.samples.size());
    for (std::int32_t s : image.samples) words.push_back(Uint16(s));  // two's complement when signed
    check(ds.putAndInsertUint16Array(DCM_PixelData, words.data(), words.size()), "pixel data");
  }
}

struct MemoryOut {
  std::vector<std::uint8_t> data;
  std::size_t pos = 0;
};

OPJ_SIZE_T writeFn(void* buffer, OPJ_SIZE_T n, void* user) {
  auto* m = static_cast<MemoryOut*>(user);
  if (m->pos + n > m->data.size()) m->data.resize(m->pos + n);
  std::memcpy(m->data.data() + m->pos, buffer, n);
  m->pos += n;
  return n;
}
OPJ_OFF_T skipFn(OPJ_OFF_T n, void* user) {
  auto* m = static_cast<MemoryOut*>(user);
  m->pos = std::size_t(OPJ_OFF_T(m->pos) + n);
  if (m->pos > m->data.size()) m->data.resize(m->pos);
  return n;
}
OPJ_BOOL seekFn(OPJ_OFF_T n, void* user) {
  auto* m = static_cast<MemoryOut*>(user);
  m->pos = std::size_t(n);
  if (m->pos > m->data.size()) m->data.resize(m->pos);
  return OPJ_TRUE;
}
void quiet(const char*, void*) {}

// Samples of one frame, component c, whatever the planar configuration.
std::int32_t sampleAt(const TestImage& image, int frame, std::size_t pixel, int c) {
  const std::size_t pixels = std::size_t(image.rows) * std::size_t(image.columns);
  const std::size_t base = std::size_t(frame) * pixels * std::size_t(image.samplesPerPixel);
  return image.planarConfiguration == 0
             ? image.samples[base + pixel * std::size_t(image.samplesPerPixel) + std::size_t(c)]
             : image.samples[base + std::size_t(c) * pixels + pixel];
}

}  // namespace

std::vector<std::int32_t> phantom(int rows, int columns, int frames, int samplesPerPixel, int lo, int hi) {
  std::vector<std::int32_t> samples;
  std::mt19937 noise(42);
  for (int f = 0; f < frames; ++f)
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < columns; ++x)
        for (int c = 0; c < samplesPerPixel; ++c) {
          const double ramp = (double(x) / columns + double(y) / rows + 0.2 * c + 0.1 * f) / 2.5;
          const bool square = x > columns / 4 && x < columns / 2 && y > rows / 4 && y < rows / 2;
          double v = lo + (hi - lo) * (square ? 0.9 : 0.6 * ramp);
          v += double(noise() % 3) - 1.0;  // a little noise, so neighbours differ
          samples.push_back(std::clamp<std::int32_t>(std::int32_t(v), lo, hi));
        }
  return samples;
}

std::unique_ptr<DcmFileFormat> makeFile(const TestImage& image) {
  auto format = std::make_unique<DcmFileFormat>();
  DcmDataset& ds = *format->getDataset();
  const bool colour = image.samplesPerPixel == 3;
  check(ds.putAndInsertString(DCM_SOPClassUID, colour ? UID_SecondaryCaptureImageStorage : UID_CTImageStorage), "uid");
  ds.putAndInsertString(DCM_SOPInstanceUID, image.sopUid.c_str());
  ds.putAndInsertString(DCM_StudyInstanceUID, image.studyUid.c_str());
  ds.putAndInsertString(DCM_SeriesInstanceUID, image.seriesUid.c_str());
  ds.putAndInsertString(DCM_Modality, image.modality.c_str());
  ds.putAndInsertString(DCM_PatientName, "TEST^IMAGING");
  ds.putAndInsertString(DCM_PatientID, "IMG-1");
  ds.putAndInsertUint16(DCM_Rows, Uint16(image.rows));
  ds.putAndInsertUint16(DCM_Columns, Uint16(image.columns));
  ds.putAndInsertUint16(DCM_SamplesPerPixel, Uint16(image.samplesPerPixel));
  ds.putAndInsertString(DCM_PhotometricInterpretation, image.photometric.c_str());
  ds.putAndInsertUint16(DCM_BitsAllocated, Uint16(image.bitsAllocated));
  ds.putAndInsertUint16(DCM_BitsStored, Uint16(image.bitsStored));
  ds.putAndInsertUint16(DCM_HighBit, Uint16(image.bitsStored - 1));
  ds.putAndInsertUint16(DCM_PixelRepresentation, image.isSigned ? 1 : 0);
  if (colour) ds.putAndInsertUint16(DCM_PlanarConfiguration, Uint16(image.planarConfiguration));
  if (image.frames > 1) ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(image.frames).c_str());
  putPixels(ds, image);
  return format;
}

std::filesystem::path writeFile(DcmFileFormat& format, const std::filesystem::path& path, E_TransferSyntax xfer,
                                int lossyParameter) {
  registerEncoders();
  DcmDataset& ds = *format.getDataset();
  const DJ_RPLossless lossless;
  const DJ_RPLossy lossy(lossyParameter > 0 ? lossyParameter : 90);
  const DJLSRepresentationParameter jpegLs(Uint16(lossyParameter), xfer == EXS_JPEGLSLossless);
  const DcmRLERepresentationParameter rle;
  const DcmRepresentationParameter* parameter = nullptr;
  switch (xfer) {
    case EXS_JPEGProcess14SV1: parameter = &lossless; break;
    case EXS_JPEGProcess1:
    case EXS_JPEGProcess2_4: parameter = &lossy; break;
    case EXS_JPEGLSLossless:
    case EXS_JPEGLSLossy: parameter = &jpegLs; break;
    case EXS_RLELossless: parameter = &rle; break;
    default: break;
  }
  if (DcmXfer(xfer).isEncapsulated()) check(ds.chooseRepresentation(xfer, parameter), "encoding");
  check(format.saveFile(path.c_str(), xfer), "saving " + path.string());
  return path;
}

std::vector<std::uint8_t> encodeJ2kFrame(const TestImage& image, int frame, bool lossless, float ratio) {
  const int components = image.samplesPerPixel;
  std::vector<opj_image_cmptparm_t> parameters(static_cast<std::size_t>(components));
  for (auto& cp : parameters) {
    cp = {};
    cp.dx = cp.dy = 1;
    cp.w = OPJ_UINT32(image.columns);
    cp.h = OPJ_UINT32(image.rows);
    cp.prec = OPJ_UINT32(image.bitsStored);
    cp.sgnd = image.isSigned ? 1 : 0;
  }
  std::unique_ptr<opj_image_t, void (*)(opj_image_t*)> j2k(
      opj_image_create(OPJ_UINT32(components), parameters.data(), components == 3 ? OPJ_CLRSPC_SRGB : OPJ_CLRSPC_GRAY),
      opj_image_destroy);
  j2k->x1 = OPJ_UINT32(image.columns);
  j2k->y1 = OPJ_UINT32(image.rows);
  const std::size_t pixels = std::size_t(image.rows) * std::size_t(image.columns);
  for (int c = 0; c < components; ++c)
    for (std::size_t i = 0; i < pixels; ++i) j2k->comps[c].data[i] = sampleAt(image, frame, i, c);
  opj_cparameters_t p;
  opj_set_default_encoder_parameters(&p);
  p.tcp_numlayers = 1;
  p.tcp_rates[0] = lossless ? 0 : ratio;
  p.cp_disto_alloc = 1;
  p.irreversible = lossless ? 0 : 1;
  p.tcp_mct = components == 3 ? 1 : 0;
  p.numresolution = 3;
  std::unique_ptr<opj_codec_t, void (*)(opj_codec_t*)> codec(opj_create_compress(OPJ_CODEC_J2K), opj_destroy_codec);
  opj_set_warning_handler(codec.get(), quiet, nullptr);
  opj_set_info_handler(codec.get(), quiet, nullptr);
  if (!opj_setup_encoder(codec.get(), &p, j2k.get())) throw std::runtime_error("OpenJPEG encoder setup");
  MemoryOut out;
  {
    std::unique_ptr<opj_stream_t, void (*)(opj_stream_t*)> stream(opj_stream_create(1 << 16, OPJ_FALSE),
                                                                  opj_stream_destroy);
    opj_stream_set_user_data(stream.get(), &out, nullptr);
    opj_stream_set_write_function(stream.get(), writeFn);
    opj_stream_set_skip_function(stream.get(), skipFn);
    opj_stream_set_seek_function(stream.get(), seekFn);
    if (!opj_start_compress(codec.get(), j2k.get(), stream.get()) || !opj_encode(codec.get(), stream.get()) ||
        !opj_end_compress(codec.get(), stream.get()))
      throw std::runtime_error("OpenJPEG encoding");
  }
  out.data.resize(out.pos);
  return std::move(out.data);
}

std::vector<std::uint8_t> encodeJ2k(const TestImage& image, int frame, bool lossless, float ratio) {
  return encodeJ2kFrame(image, frame, lossless, ratio);
}

std::filesystem::path writeJ2k(const TestImage& image, const std::filesystem::path& path, bool lossless, float ratio,
                               int fragmentsPerFrame) {
  const E_TransferSyntax xfer = lossless ? EXS_JPEG2000LosslessOnly : EXS_JPEG2000;
  auto format = makeFile(image);
  DcmDataset& ds = *format->getDataset();
  if (image.samplesPerPixel == 3) {
    ds.putAndInsertString(DCM_PhotometricInterpretation, lossless ? "YBR_RCT" : "YBR_ICT");
    ds.putAndInsertUint16(DCM_PlanarConfiguration, 0);
  }
  auto* sequence = new DcmPixelSequence(DCM_PixelSequenceTag);
  auto* offsetTable = new DcmPixelItem(DCM_PixelItemTag);
  sequence->insert(offsetTable);
  DcmOffsetList offsets;
  for (int f = 0; f < image.frames; ++f) {
    std::vector<std::uint8_t> codestream = encodeJ2kFrame(image, f, lossless, ratio);
    // storeCompressedFrame splits into fragments of at most `fragmentSize` kB (0: one fragment).
    const Uint32 fragmentKb = fragmentsPerFrame > 1 ? Uint32((codestream.size() / fragmentsPerFrame + 1023) / 1024) : 0;
    check(sequence->storeCompressedFrame(offsets, codestream.data(), Uint32(codestream.size()), fragmentKb),
          "fragments");
  }
  if (fragmentsPerFrame == 1) check(offsetTable->createOffsetTable(offsets), "offset table");
  auto* pixelData = new DcmPixelData(DCM_PixelData);
  pixelData->putOriginalRepresentation(xfer, nullptr, sequence);
  check(ds.insert(pixelData, true), "pixel data");
  if (!lossless) ds.putAndInsertString(DCM_LossyImageCompression, "01");
  check(format->saveFile(path.c_str(), xfer), "saving " + path.string());
  return path;
}

TempDir::TempDir() {
  static std::mt19937_64 random{std::random_device{}()};
  path_ = std::filesystem::temp_directory_path() / ("medvqa-imaging-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace medvqa::imaging::testing
