#include "orthanc_study_source.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"

namespace medvqa::plugin {
namespace {

using nlohmann::json;

std::string tag(const json& resource, const char* name) {
  const auto tags = resource.find("MainDicomTags");
  if (tags == resource.end() || !tags->contains(name) || !(*tags)[name].is_string()) return "";
  return (*tags)[name].get<std::string>();
}

// What a rule looks at for one series. The SOP class is not a main DICOM tag of a series, so it
// comes from the metadata Orthanc keeps for the series' first instance.
pipeline::SeriesFacts seriesFacts(const OrthancApi& api, const json& series) {
  pipeline::SeriesFacts facts{tag(series, "SeriesInstanceUID"), tag(series, "Modality"),
                              tag(series, "BodyPartExamined"), tag(series, "SeriesDescription"), ""};
  const json& instances = series["Instances"];
  if (!instances.empty()) {
    facts.sopClassUid = api.get("/instances/" + instances.front().get<std::string>() + "/metadata/SopClassUid")
                            .value_or("");
  }
  return facts;
}

void writeFile(const std::filesystem::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw Error(ErrorCode::Io, "cannot write " + file.string());
}

}  // namespace

std::optional<OrthancStudySource::Study> OrthancStudySource::read(const std::string& studyUid) const {
  const auto id = api_.lookupStudy(studyUid);
  if (!id) return std::nullopt;
  const auto study = api_.getJson("/studies/" + *id);
  const auto series = api_.getJson("/studies/" + *id + "/series");
  const auto instances = api_.getJson("/studies/" + *id + "/instances");
  if (!study || !series || !instances) return std::nullopt;  // deleted meanwhile

  Study out;
  out.facts.studyUid = studyUid;
  out.facts.studyDescription = tag(*study, "StudyDescription");
  std::set<std::string> ours;  // Orthanc ids of MedVQA's own SR series
  for (const json& s : *series) {
    auto facts = seriesFacts(api_, s);
    if (pipeline::isMedVqaSeries(facts.modality, facts.seriesDescription)) {
      ours.insert(s["ID"].get<std::string>());
    } else {
      out.facts.series.push_back(std::move(facts));
    }
  }
  for (const json& i : *instances) {
    if (ours.count(i["ParentSeries"].get<std::string>())) continue;
    out.instances.push_back({i["ID"].get<std::string>(), tag(i, "SOPInstanceUID")});
  }
  return out;
}

std::optional<pipeline::StudySnapshot> OrthancStudySource::snapshot(const std::string& studyUid) {
  const auto study = read(studyUid);
  if (!study) return std::nullopt;
  pipeline::StudySnapshot snap;
  snap.facts = study->facts;
  for (const auto& i : study->instances) snap.instanceUids.push_back(i.sopInstanceUid);
  return snap;
}

void OrthancStudySource::materialize(const std::string& studyUid, const std::filesystem::path& folder) {
  const auto study = read(studyUid);
  if (!study) throw Error(ErrorCode::NotFound, "Orthanc has no study " + studyUid);
  std::size_t n = 0;
  for (const auto& i : study->instances) {
    const auto bytes = api_.get("/instances/" + i.orthancId + "/file");
    if (!bytes) continue;  // deleted since the listing: answer on what is left
    writeFile(folder / (std::to_string(n++) + ".dcm"), *bytes);
  }
  if (n == 0) throw Error(ErrorCode::NotFound, "study " + studyUid + " has no instance to answer");
}

}  // namespace medvqa::plugin
