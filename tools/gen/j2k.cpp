#include "j2k.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include <openjpeg.h>

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>

namespace medvqa::gen {
namespace {

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
  if (n < 0 && std::size_t(-n) > m->pos) return -1;
  m->pos = std::size_t(OPJ_OFF_T(m->pos) + n);
  if (m->pos > m->data.size()) m->data.resize(m->pos);
  return n;
}

OPJ_BOOL seekFn(OPJ_OFF_T n, void* user) {
  auto* m = static_cast<MemoryOut*>(user);
  if (n < 0) return OPJ_FALSE;
  m->pos = std::size_t(n);
  if (m->pos > m->data.size()) m->data.resize(m->pos);
  return OPJ_TRUE;
}

void errorFn(const char* msg, void* user) {
  auto* s = static_cast<std::string*>(user);
  if (s->empty()) *s = msg;
}

void quietFn(const char*, void*) {}

struct CodecDeleter {
  void operator()(opj_codec_t* c) const { opj_destroy_codec(c); }
};
struct ImageDeleter {
  void operator()(opj_image_t* i) const { opj_image_destroy(i); }
};
struct StreamDeleter {
  void operator()(opj_stream_t* s) const { opj_stream_destroy(s); }
};

}  // namespace

std::vector<std::uint8_t> encodeJ2kLossless(const Image& img) {
  opj_image_cmptparm_t cp{};
  cp.dx = cp.dy = 1;
  cp.w = img.cols;
  cp.h = img.rows;
  cp.prec = img.bitsStored;
  cp.sgnd = img.isSigned ? 1 : 0;
  std::unique_ptr<opj_image_t, ImageDeleter> image(opj_image_create(1, &cp, OPJ_CLRSPC_GRAY));
  if (!image) throw std::runtime_error("OpenJPEG: cannot create image");
  image->x0 = image->y0 = 0;
  image->x1 = img.cols;
  image->y1 = img.rows;
  OPJ_INT32* dst = image->comps[0].data;
  const std::size_t n = std::size_t(img.rows) * img.cols;
  for (std::size_t i = 0; i < n; ++i) {
    if (img.bitsAllocated == 8) dst[i] = img.px8[i];
    else dst[i] = img.isSigned ? OPJ_INT32(static_cast<std::int16_t>(img.px16[i])) : OPJ_INT32(img.px16[i]);
  }

  opj_cparameters_t p;
  opj_set_default_encoder_parameters(&p);
  p.tcp_numlayers = 1;
  p.tcp_rates[0] = 0;  // lossless
  p.cp_disto_alloc = 1;
  p.irreversible = 0;  // reversible 5/3 wavelet
  int levels = 1;      // resolutions: the smallest one must stay at least 1 pixel wide
  while (levels < 6 && (1u << levels) <= std::min(img.rows, img.cols)) ++levels;
  p.numresolution = levels;

  std::unique_ptr<opj_codec_t, CodecDeleter> codec(opj_create_compress(OPJ_CODEC_J2K));
  std::string error;
  opj_set_error_handler(codec.get(), errorFn, &error);
  opj_set_warning_handler(codec.get(), quietFn, nullptr);
  opj_set_info_handler(codec.get(), quietFn, nullptr);
  if (!opj_setup_encoder(codec.get(), &p, image.get()))
    throw std::runtime_error("OpenJPEG: encoder setup failed: " + error);

  MemoryOut out;
  std::unique_ptr<opj_stream_t, StreamDeleter> stream(opj_stream_create(1 << 16, OPJ_FALSE));
  opj_stream_set_user_data(stream.get(), &out, nullptr);
  opj_stream_set_write_function(stream.get(), writeFn);
  opj_stream_set_skip_function(stream.get(), skipFn);
  opj_stream_set_seek_function(stream.get(), seekFn);
  if (!opj_start_compress(codec.get(), image.get(), stream.get()) || !opj_encode(codec.get(), stream.get()) ||
      !opj_end_compress(codec.get(), stream.get()))
    throw std::runtime_error("OpenJPEG: encoding failed: " + error);
  stream.reset();  // flushes
  return std::move(out.data);
}

void encapsulateJ2k(DcmDataset& ds, const std::vector<std::uint8_t>& codestream) {
  auto* seq = new DcmPixelSequence(DCM_PixelSequenceTag);
  auto* offsetTable = new DcmPixelItem(DCM_PixelItemTag);
  seq->insert(offsetTable);
  DcmOffsetList offsets;
  OFCondition c = seq->storeCompressedFrame(offsets, const_cast<Uint8*>(codestream.data()),
                                            static_cast<Uint32>(codestream.size()), 0 /* one fragment */);
  if (c.good()) c = offsetTable->createOffsetTable(offsets);
  if (c.bad()) {
    delete seq;
    throw std::runtime_error(std::string("cannot encapsulate J2K codestream: ") + c.text());
  }
  auto* pixelData = new DcmPixelData(DCM_PixelData);
  pixelData->putOriginalRepresentation(EXS_JPEG2000LosslessOnly, nullptr, seq);
  c = ds.insert(pixelData, true /* replace the uncompressed one */);
  if (c.bad()) {
    delete pixelData;
    throw std::runtime_error(std::string("cannot insert encapsulated PixelData: ") + c.text());
  }
}

}  // namespace medvqa::gen
