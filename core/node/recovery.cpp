#include "node/recovery.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "common/error.h"
#include "common/log.h"
#include "index/index.h"
#include "index/instance_record.h"
#include "store/file_store.h"

namespace medvqa::node {
namespace fs = std::filesystem;

namespace {

bool reindex(store::FileStore& files, Index& index, const fs::path& file) {
  DcmFileFormat dicom;
  if (dicom.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096).bad()) return false;
  OFString ts;
  dicom.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts);
  const std::string relPath = fs::relative(file, files.root()).string();
  InstanceRecord record = recordFromDataset(*dicom.getDataset(), ts.c_str(), relPath, fs::file_size(file));
  if (store::FileStore::relativePathFor(record.sopInstanceUid) != relPath) return false;
  index.put(record, DuplicatePolicy::Overwrite);
  return true;
}

}  // namespace

bool CleanStopMarker::consume() {
  std::error_code ec;
  const bool existed = fs::remove(file_, ec);
  if (existed) store::syncDirectory(file_.parent_path());
  return existed;
}

void CleanStopMarker::write() {
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return log::warn("cannot write " + file_.string() + ": the next start will reconcile");
  ::fsync(fd);
  ::close(fd);
  store::syncDirectory(file_.parent_path());
}

RecoveryReport recoverStorage(store::FileStore& files, Index& index) {
  RecoveryReport report;
  report.tempFilesRemoved = files.purgeTemp();

  std::set<std::string> indexed;
  for (const auto& instance : index.allInstances()) {
    indexed.insert(instance.relPath);
    if (!fs::exists(files.absolute(instance.relPath))) {
      ++report.rowsWithoutFile;
      log::error("index names " + instance.sopInstanceUid + " but its file " + instance.relPath + " is missing");
    }
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(files.root() / "instances", ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec || !it->is_regular_file()) continue;
    const std::string relPath = fs::relative(it->path(), files.root()).string();
    if (indexed.count(relPath)) continue;
    try {
      if (reindex(files, index, it->path())) ++report.filesReindexed;
      else log::error("unindexed file " + relPath + " is not a readable instance of this store; left in place");
    } catch (const std::exception& e) {
      log::error("cannot reindex " + relPath + ": " + e.what());
    }
  }
  return report;
}

}  // namespace medvqa::node
