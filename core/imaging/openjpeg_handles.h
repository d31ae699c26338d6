// OpenJPEG's objects as unique_ptrs, and its message callbacks: shared by the JPEG 2000 decoder
// and encoder. Private to core/imaging (OpenJPEG is linked privately: only .cpp files include
// this).
#pragma once

#include <openjpeg.h>

#include <memory>
#include <string>

namespace medvqa::imaging::openjpeg {

struct CodecDeleter {
  void operator()(opj_codec_t* codec) const { opj_destroy_codec(codec); }
};
struct StreamDeleter {
  void operator()(opj_stream_t* stream) const { opj_stream_destroy(stream); }
};
struct ImageDeleter {
  void operator()(opj_image_t* image) const { opj_image_destroy(image); }
};

using Codec = std::unique_ptr<opj_codec_t, CodecDeleter>;
using Stream = std::unique_ptr<opj_stream_t, StreamDeleter>;
using Image = std::unique_ptr<opj_image_t, ImageDeleter>;

// Keeps OpenJPEG's first error message (without its newline) in `*firstError`, drops its
// warnings and information messages.
inline void reportFirstError(opj_codec_t* codec, std::string* firstError) {
  opj_set_error_handler(
      codec,
      [](const char* message, void* user) {
        auto* first = static_cast<std::string*>(user);
        if (!first->empty()) return;
        *first = message;
        while (!first->empty() && first->back() == '\n') first->pop_back();
      },
      firstError);
  opj_set_warning_handler(codec, [](const char*, void*) {}, nullptr);
  opj_set_info_handler(codec, [](const char*, void*) {}, nullptr);
}

}  // namespace medvqa::imaging::openjpeg
