#include "node/node_study_source.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <map>

#include "common/error.h"
#include "index/index.h"
#include "store/file_store.h"

namespace medvqa::node {
namespace {

namespace fs = std::filesystem;

std::vector<StoredInstance> studyInstances(const Index& index, const std::string& studyUid) {
  DcmDataset identifier;
  identifier.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
  identifier.putAndInsertString(DCM_StudyInstanceUID, studyUid.c_str());
  return index.instancesFor(QueryModel::StudyRoot, identifier);
}

std::string stringOf(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  item.findAndGetOFStringArray(tag, value);
  return value.c_str();
}

// One header per series: what rules match on that the index does not keep (body part).
pipeline::SeriesFacts seriesFacts(const fs::path& file, const StoredInstance& instance) {
  pipeline::SeriesFacts facts{instance.seriesUid, "", "", "", instance.sopClassUid};
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 1024, ERM_autoDetect).good()) {
    DcmDataset& ds = *ff.getDataset();
    facts.modality = stringOf(ds, DCM_Modality);
    facts.bodyPartExamined = stringOf(ds, DCM_BodyPartExamined);
    facts.seriesDescription = stringOf(ds, DCM_SeriesDescription);
  }
  return facts;
}

void linkOrCopy(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_hard_link(from, to, ec);
  if (ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

}  // namespace

std::optional<pipeline::StudySnapshot> NodeStudySource::snapshot(const std::string& studyUid) {
  const auto summary = index_.study(studyUid);
  if (!summary) return std::nullopt;
  pipeline::StudySnapshot snap;
  snap.facts.studyUid = studyUid;
  snap.facts.studyDescription = summary->studyDescription;
  std::map<std::string, bool> seriesSeen;
  for (const StoredInstance& instance : studyInstances(index_, studyUid)) {
    auto [it, first] = seriesSeen.try_emplace(instance.seriesUid, false);
    if (first) {
      const auto facts = seriesFacts(files_.absolute(instance.relPath), instance);
      it->second = pipeline::isMedVqaSeries(facts.modality, facts.seriesDescription);
      if (!it->second) snap.facts.series.push_back(facts);
    }
    if (!it->second) snap.instanceUids.push_back(instance.sopInstanceUid);
  }
  return snap;
}

void NodeStudySource::materialize(const std::string& studyUid, const fs::path& folder) {
  std::map<std::string, bool> ours;
  std::size_t n = 0;
  for (const StoredInstance& instance : studyInstances(index_, studyUid)) {
    const fs::path file = files_.absolute(instance.relPath);
    auto [it, first] = ours.try_emplace(instance.seriesUid, false);
    if (first) {
      const auto facts = seriesFacts(file, instance);
      it->second = pipeline::isMedVqaSeries(facts.modality, facts.seriesDescription);
    }
    if (it->second) continue;
    linkOrCopy(file, folder / (std::to_string(n++) + ".dcm"));
  }
  if (n == 0) throw Error(ErrorCode::NotFound, "study " + studyUid + " has no instance to answer");
}

}  // namespace medvqa::node
