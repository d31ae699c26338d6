#include "imaging/j2k_encoder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "common/error.h"
#include "imaging/openjpeg_handles.h"

namespace medvqa::imaging {
namespace {

[[noreturn]] void fail(const std::string& why) {
  throw Error(ErrorCode::Dicom, "JPEG 2000 encoder: " + why);
}

// OpenJPEG writes through callbacks; this is the in-memory sink they write to.
struct MemoryOut {
  std::vector<std::uint8_t> data;
  std::size_t pos = 0;
};

OPJ_SIZE_T writeFn(void* buffer, OPJ_SIZE_T n, void* user) {
  auto* out = static_cast<MemoryOut*>(user);
  if (out->pos + n > out->data.size()) out->data.resize(out->pos + n);
  std::memcpy(out->data.data() + out->pos, buffer, n);
  out->pos += n;
  return n;
}

OPJ_OFF_T skipFn(OPJ_OFF_T n, void* user) {
  auto* out = static_cast<MemoryOut*>(user);
  if (n < 0 && std::size_t(-n) > out->pos) return -1;
  out->pos = std::size_t(OPJ_OFF_T(out->pos) + n);
  if (out->pos > out->data.size()) out->data.resize(out->pos);
  return n;
}

OPJ_BOOL seekFn(OPJ_OFF_T n, void* user) {
  auto* out = static_cast<MemoryOut*>(user);
  if (n < 0) return OPJ_FALSE;
  out->pos = std::size_t(n);
  if (out->pos > out->data.size()) out->data.resize(out->pos);
  return OPJ_TRUE;
}

int resolutionsFor(const J2kImage& image, int requested) {
  if (requested > 0) return requested;
  int levels = 1;  // the smallest resolution must stay at least 1 pixel wide
  while (levels < 6 && (1 << levels) <= std::min(image.width, image.height)) ++levels;
  return levels;
}

}  // namespace

std::vector<std::uint8_t> encodeJ2k(const J2kImage& image, const J2kEncoding& encoding) {
  if (image.components != 1 && image.components != 3) fail("1 or 3 components, not " + std::to_string(image.components));
  if (image.width <= 0 || image.height <= 0 || image.precision < 1 || image.precision > 16) fail("bad image geometry");
  const std::size_t pixels = std::size_t(image.width) * std::size_t(image.height);
  if (image.samples.size() != pixels * std::size_t(image.components)) fail("sample count does not match the geometry");

  std::vector<opj_image_cmptparm_t> parameters(std::size_t(image.components));
  for (auto& cp : parameters) {
    cp = {};
    cp.dx = cp.dy = 1;
    cp.w = OPJ_UINT32(image.width);
    cp.h = OPJ_UINT32(image.height);
    cp.prec = OPJ_UINT32(image.precision);
    cp.sgnd = image.isSigned ? 1 : 0;
  }
  const openjpeg::Image j2k(opj_image_create(OPJ_UINT32(image.components), parameters.data(),
                                             image.components == 3 ? OPJ_CLRSPC_SRGB : OPJ_CLRSPC_GRAY));
  if (!j2k) fail("cannot create the image");
  j2k->x0 = j2k->y0 = 0;
  j2k->x1 = OPJ_UINT32(image.width);
  j2k->y1 = OPJ_UINT32(image.height);
  for (int c = 0; c < image.components; ++c) {
    OPJ_INT32* plane = j2k->comps[c].data;
    for (std::size_t i = 0; i < pixels; ++i) plane[i] = image.samples[i * std::size_t(image.components) + std::size_t(c)];
  }

  opj_cparameters_t p;
  opj_set_default_encoder_parameters(&p);
  p.tcp_numlayers = 1;
  p.tcp_rates[0] = encoding.lossless ? 0 : encoding.ratio;  // 0: lossless
  p.cp_disto_alloc = 1;
  p.irreversible = encoding.lossless ? 0 : 1;
  p.tcp_mct = image.components == 3 ? 1 : 0;
  p.numresolution = resolutionsFor(image, encoding.resolutions);

  const openjpeg::Codec codec(opj_create_compress(OPJ_CODEC_J2K));
  std::string error;
  openjpeg::reportFirstError(codec.get(), &error);
  if (!opj_setup_encoder(codec.get(), &p, j2k.get())) fail("setup failed: " + error);

  MemoryOut out;
  {
    const openjpeg::Stream stream(opj_stream_create(1 << 16, OPJ_FALSE));
    opj_stream_set_user_data(stream.get(), &out, nullptr);
    opj_stream_set_write_function(stream.get(), writeFn);
    opj_stream_set_skip_function(stream.get(), skipFn);
    opj_stream_set_seek_function(stream.get(), seekFn);
    if (!opj_start_compress(codec.get(), j2k.get(), stream.get()) || !opj_encode(codec.get(), stream.get()) ||
        !opj_end_compress(codec.get(), stream.get()))
      fail("encoding failed: " + error);
  }  // destroying the stream flushes it
  return std::move(out.data);
}

}  // namespace medvqa::imaging
