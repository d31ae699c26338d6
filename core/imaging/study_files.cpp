#include "imaging/study_files.h"

#include <algorithm>

#include "common/error.h"
#include "common/log.h"

namespace medvqa::imaging {

std::vector<std::filesystem::path> studyFiles(const std::filesystem::path& fileOrFolder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(fileOrFolder, ec);
  if (ec || !fs::exists(status)) throw Error(ErrorCode::NotFound, "no such file or folder: " + fileOrFolder.string());
  if (!fs::is_directory(status)) return {fileOrFolder};
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(fileOrFolder, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw Error(ErrorCode::Io, "cannot list " + fileOrFolder.string() + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {  // what was listed so far still makes a study; say what was missed
      log::warn("imaging: listing " + fileOrFolder.string() + " stopped early: " + ec.message());
      break;
    }
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace medvqa::imaging
