#include "node/ingest.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>

#include <system_error>

#include "common/error.h"
#include "common/log.h"
#include "dicom/uid.h"
#include "index/index.h"
#include "index/instance_record.h"
#include "store/file_store.h"

namespace medvqa::node {
namespace fs = std::filesystem;

namespace {

// Values above this stay on disk while the header is checked: the node never needs pixel data to
// index an instance, but the parser still walks past it, so a truncated data set is detected.
constexpr Uint32 kMaxLoadedValueBytes = 4096;

std::uint64_t fileSize(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) throw Error(ErrorCode::Io, "cannot stat received file " + file.string() + ": " + ec.message());
  return size;
}

void loadHeader(DcmFileFormat& file, const fs::path& path) {
  const OFCondition status = file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, kMaxLoadedValueBytes);
  if (status.bad()) {
    throw Error(ErrorCode::Dicom, std::string("data set cannot be parsed (truncated or not in the "
                                              "negotiated transfer syntax): ") + status.text());
  }
}

std::string stringOf(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  item.findAndGetOFStringArray(tag, value);
  return value.c_str();
}

// The command and the data set must name the same instance: a mismatch means the sender is
// confused, and storing it would index one instance under another's name.
void checkMatchesCommand(DcmDataset& ds, const StoreRequest& request, std::string& sopUid) {
  sopUid = dicom::requireUid(stringOf(ds, DCM_SOPInstanceUID), "SOP Instance UID");
  const std::string sopClass = dicom::requireUid(stringOf(ds, DCM_SOPClassUID), "SOP Class UID");
  const auto commandSop = dicom::normalizeUid(request.sopInstanceUid);
  const auto commandClass = dicom::normalizeUid(request.sopClassUid);
  if (!commandSop || *commandSop != sopUid || !commandClass || *commandClass != sopClass) {
    throw Error(ErrorCode::InvalidArgument,
                "data set (SOP Instance UID " + sopUid + ", class " + sopClass +
                    ") does not match the C-STORE command (" + request.sopInstanceUid + ", " +
                    request.sopClassUid + ")");
  }
}

}  // namespace

Ingestor::Ingestor(store::FileStore& files, Index& index, DuplicatePolicy duplicates,
                   std::uint64_t maxDatasetBytes)
    : files_(files), index_(index), duplicates_(duplicates), maxDatasetBytes_(maxDatasetBytes) {}

StoreResult Ingestor::ingest(const fs::path& receivedFile, const StoreRequest& request) {
  const std::uint64_t size = fileSize(receivedFile);
  if (size > maxDatasetBytes_) {
    throw Error(ErrorCode::LimitExceeded, "data set of " + std::to_string(size) +
                                              " bytes exceeds maxDatasetBytes " +
                                              std::to_string(maxDatasetBytes_));
  }
  DcmFileFormat file;
  loadHeader(file, receivedFile);
  DcmDataset& ds = *file.getDataset();
  std::string sopUid;
  checkMatchesCommand(ds, request, sopUid);

  const std::string relPath = store::FileStore::relativePathFor(sopUid);
  const std::string transferSyntax = stringOf(*file.getMetaInfo(), DCM_TransferSyntaxUID);
  InstanceRecord record = recordFromDataset(ds, transferSyntax, relPath, size);

  if (duplicates_ == DuplicatePolicy::KeepExisting && index_.findInstance(sopUid)) {
    log::info("duplicate SOP Instance UID " + sopUid + " from " + request.callingAet +
              ": kept the stored copy (duplicatePolicy=keep)");
    return {StoreOutcome::KeptExisting, sopUid, record.studyInstanceUid};
  }
  files_.commit(receivedFile, relPath);
  const PutResult put = index_.put(record, DuplicatePolicy::Overwrite, std::nullopt, request.settling);
  // Same UID, same path: the rename above already replaced the old file. A path that differs can
  // only come from an older layout; remove that file only now that the new one is committed.
  if (put.previousRelPath && *put.previousRelPath != relPath) files_.remove(*put.previousRelPath);
  if (put.outcome == PutOutcome::Replaced) {
    log::info("duplicate SOP Instance UID " + sopUid + " from " + request.callingAet +
              ": replaced the stored copy (duplicatePolicy=overwrite)");
    return {StoreOutcome::Replaced, sopUid, record.studyInstanceUid};
  }
  return {StoreOutcome::Stored, sopUid, record.studyInstanceUid};
}

}  // namespace medvqa::node
