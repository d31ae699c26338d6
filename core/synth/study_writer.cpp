#include "synth/study_writer.h"

#include <cstdio>
#include <system_error>

#include "common/error.h"
#include "synth/dicom_instances.h"

namespace medvqa::synth {
namespace {

void createFolder(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message());
}

std::uintmax_t sizeOf(const std::filesystem::path& file) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  return ec ? 0 : size;
}

}  // namespace

void saveInstance(DcmFileFormat& file, const std::filesystem::path& path) {
  const OFCondition c = file.saveFile(path.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_recalcGL,
                                      EPD_withoutPadding);
  if (c.bad()) throw Error(ErrorCode::Io, "cannot write " + path.string() + ": " + c.text());
}

WrittenFiles writeStudy(const std::filesystem::path& studyDir, const ChestStudy& study) {
  createFolder(studyDir);
  const PixelImage img = renderChest(study.anatomy, study.acquisition, study.noiseSeed);
  const std::unique_ptr<DcmFileFormat> file = buildChestInstance(study.id, study.acquisition, img);
  const std::filesystem::path path = studyDir / "image.dcm";
  saveInstance(*file, path);
  return {1, sizeOf(path)};
}

WrittenFiles writeStudy(const std::filesystem::path& studyDir, const CtStudy& study) {
  createFolder(studyDir);
  WrittenFiles written;
  for (unsigned i = 0; i < study.acquisition.slices; ++i) {
    const PixelImage img = renderCtSlice(study.anatomy, study.acquisition, i, streamSeed(study.noiseSeed, "slice", {i}));
    const std::unique_ptr<DcmFileFormat> file = buildCtInstance(study.id, study.acquisition, i, img);
    char name[32];
    std::snprintf(name, sizeof name, "slice-%02u.dcm", i + 1);
    saveInstance(*file, studyDir / name);
    ++written.files;
    written.bytes += sizeOf(studyDir / name);
  }
  return written;
}

}  // namespace medvqa::synth
