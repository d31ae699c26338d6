#pragma once

// Writes the answers about one study as a DICOM Comprehensive SR (1.2.840.10008.5.1.4.1.1.88.33)
// structured after TID 1500 (Measurement Report): one TID 1501 measurement group per question.
// The tree, its codes and the reasons for them are in docs/sr.md. DCMTK's dcmsr/cmr classes build
// it (TID 1500, 1501, 300, 1600, 4019); the reader (sr_reader.h) reads back what is written here.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vqa/answer.h"

class DcmDataset;
class DcmItem;

namespace medvqa::sr {

// The device observer (TID 1004): the node that wrote the SR.
struct DeviceObserver {
  std::string uid;           // Device Observer UID (required)
  std::string name;          // institution-given name ("medvqa-node-1"); optional
  std::string manufacturer;  // optional
  std::string modelName;     // optional; also Manufacturer's Model Name
};

// The algorithm (TID 4019). Each answer's own model name and version win; these fill in when an
// answer lacks them. Parameters ("top-k=3", "window=lung") are written for model answers only:
// a header answer ran no model.
struct AlgorithmIdentity {
  std::string name;
  std::string version;
  std::vector<std::string> parameters;
};

// A composite instance by its four UIDs (the predecessor SR of a re-answered study).
struct InstanceReference {
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string sopClassUid;
  std::string sopInstanceUid;
};

// An SR's own series and instance.
struct ReportUids {
  std::string seriesInstanceUid;
  std::string sopInstanceUid;
};

struct ReportRequest {
  // The headers of the images the answers used (not owned; at least one; one study). Patient and
  // study modules are copied from the first; every one is listed as evidence.
  std::vector<DcmItem*> sources;
  // At least one. Each answer's sopInstanceUids must be among the sources.
  std::vector<vqa::Answer> answers;
  DeviceObserver device;
  AlgorithmIdentity algorithm;
  // The SR this one replaces (Predecessor Documents Sequence), when a study is re-answered.
  std::optional<InstanceReference> predecessor;
  // Empty: generated. Give both to make a rewrite idempotent (same UIDs, same tracking UIDs).
  std::string seriesInstanceUid;
  std::string sopInstanceUid;
  int seriesNumber = 9901;
  int instanceNumber = 1;
  // false: Completion Flag PARTIAL (some questions of the set were not answered), with
  // `completionNote` as the Completion Flag Description.
  bool complete = true;
  std::string completionNote;
};

// The SR as a data set (no file meta). Throws Error(InvalidArgument) for a request that cannot
// make a valid SR (no sources or answers, sources of two studies, an answer citing an unknown
// image, a confidence outside [0, 1], a model answer without model name and version, a bad
// UID), Error(Dicom) when DCMTK refuses to build or encode it.
std::unique_ptr<DcmDataset> writeReport(const ReportRequest& request);

// A Part 10 file (explicit VR little endian); Error(Io) when it cannot be written.
void saveReport(const DcmDataset& report, const std::filesystem::path& file);

}  // namespace medvqa::sr
