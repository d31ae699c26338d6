#include "imaging/j2k_decoder.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "common/error.h"
#include "imaging/openjpeg_handles.h"

namespace medvqa::imaging {
namespace {

// OpenJPEG reads through callbacks; this is the in-memory source they read from.
struct MemoryIn {
  std::span<const std::uint8_t> bytes;
  std::size_t pos = 0;
};

OPJ_SIZE_T readFn(void* buffer, OPJ_SIZE_T n, void* user) {
  auto* in = static_cast<MemoryIn*>(user);
  const std::size_t left = in->bytes.size() - in->pos;
  if (left == 0) return OPJ_SIZE_T(-1);  // OpenJPEG's end-of-stream
  n = std::min<std::size_t>(n, left);
  std::memcpy(buffer, in->bytes.data() + in->pos, n);
  in->pos += n;
  return n;
}

OPJ_OFF_T skipFn(OPJ_OFF_T n, void* user) {
  auto* in = static_cast<MemoryIn*>(user);
  const auto target = std::clamp<OPJ_OFF_T>(OPJ_OFF_T(in->pos) + n, 0, OPJ_OFF_T(in->bytes.size()));
  const OPJ_OFF_T moved = target - OPJ_OFF_T(in->pos);
  in->pos = std::size_t(target);
  return moved;
}

OPJ_BOOL seekFn(OPJ_OFF_T n, void* user) {
  auto* in = static_cast<MemoryIn*>(user);
  if (n < 0 || std::size_t(n) > in->bytes.size()) return OPJ_FALSE;
  in->pos = std::size_t(n);
  return OPJ_TRUE;
}

[[noreturn]] void fail(const std::string& why) {
  throw Error(ErrorCode::Dicom, "JPEG 2000: " + why);
}

bool isJp2File(std::span<const std::uint8_t> bytes) {
  static constexpr std::uint8_t kSignature[] = {0, 0, 0, 12, 'j', 'P', ' ', ' ', 13, 10, 0x87, 10};
  return bytes.size() >= sizeof kSignature && std::equal(std::begin(kSignature), std::end(kSignature), bytes.begin());
}

J2kImage interleave(const opj_image_t& image) {
  J2kImage out;
  out.components = int(image.numcomps);
  if (out.components < 1) fail("no components");
  const opj_image_comp_t& first = image.comps[0];
  out.width = int(first.w);
  out.height = int(first.h);
  out.precision = int(first.prec);
  out.isSigned = first.sgnd != 0;
  for (int c = 0; c < out.components; ++c) {
    const opj_image_comp_t& comp = image.comps[c];
    // DICOM's colour JPEG 2000 is never subsampled; a subsampled one has no native layout here.
    if (comp.w != first.w || comp.h != first.h || comp.dx != 1 || comp.dy != 1 || !comp.data)
      fail("component " + std::to_string(c) + " is subsampled or missing");
  }
  const std::size_t pixels = std::size_t(out.width) * std::size_t(out.height);
  out.samples.resize(pixels * std::size_t(out.components));
  for (int c = 0; c < out.components; ++c) {
    const OPJ_INT32* src = image.comps[c].data;
    std::int32_t* dst = out.samples.data() + c;
    for (std::size_t i = 0; i < pixels; ++i) dst[i * std::size_t(out.components)] = src[i];
  }
  return out;
}

}  // namespace

bool startsJ2kCodestream(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 4 && bytes[0] == 0xFF && bytes[1] == 0x4F && bytes[2] == 0xFF && bytes[3] == 0x51;
}

J2kImage decodeJ2k(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) fail("empty frame");
  const openjpeg::Codec codec(opj_create_decompress(isJp2File(bytes) ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K));
  std::string error;
  openjpeg::reportFirstError(codec.get(), &error);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  if (!opj_setup_decoder(codec.get(), &parameters)) fail("decoder setup failed: " + error);
  // By default OpenJPEG decodes what a truncated codestream holds and calls it success; a
  // half-grey slice must not reach the model as if it were the image.
  opj_decoder_set_strict_mode(codec.get(), OPJ_TRUE);

  MemoryIn in{bytes, 0};
  const openjpeg::Stream stream(opj_stream_create(1 << 16, OPJ_TRUE));
  opj_stream_set_user_data(stream.get(), &in, nullptr);
  opj_stream_set_user_data_length(stream.get(), bytes.size());
  opj_stream_set_read_function(stream.get(), readFn);
  opj_stream_set_skip_function(stream.get(), skipFn);
  opj_stream_set_seek_function(stream.get(), seekFn);

  opj_image_t* raw = nullptr;
  if (!opj_read_header(stream.get(), codec.get(), &raw)) fail("unreadable header: " + error);
  const openjpeg::Image image(raw);
  if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get()))
    fail("decoding failed: " + (error.empty() ? std::string("truncated or corrupt codestream") : error));
  return interleave(*image);
}

}  // namespace medvqa::imaging
