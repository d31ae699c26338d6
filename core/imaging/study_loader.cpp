// loadStudy: scan headers, keep one study's image instances, order and select each series'
// slices, and decode only the selected ones.
#include <dcmtk/dcmdata/dcdeftag.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "common/error.h"
#include "common/log.h"
#include "imaging/dicom_file.h"
#include "imaging/instance_header.h"
#include "imaging/series_selection.h"
#include "imaging/study_files.h"
#include "imaging/study_images.h"

namespace medvqa::imaging {
namespace {

void skip(StudyImages& study, const std::filesystem::path& path, const std::string& reason) {
  log::warn("imaging: skipped " + path.string() + ": " + reason);
  study.skipped.push_back({path, reason});
}

// Header-only reads of every file; image instances come back, the rest is skipped or ignored.
std::vector<InstanceHeader> scanImageInstances(const std::vector<std::filesystem::path>& files, StudyImages& study) {
  std::vector<InstanceHeader> images;
  for (const auto& path : files) {
    try {
      const auto format = loadDicomFile(path, Load::Header);
      InstanceHeader header = readInstanceHeader(*format->getDataset(), path);
      if (header.hasPixelData)
        images.push_back(std::move(header));
      else
        log::debug("imaging: " + path.string() + " has no pixel data (not an image), ignored");
    } catch (const Error& e) {
      skip(study, path, e.what());
    } catch (const std::exception& e) {  // a hostile header must cost one file, not the study
      skip(study, path, std::string("unreadable: ") + e.what());
    }
  }
  return images;
}

// A folder is one study; instances of another study found in it are listed as skipped, not mixed
// into the first one's answers.
void keepFirstStudy(std::vector<InstanceHeader>& images, StudyImages& study) {
  if (images.empty()) return;
  study.studyInstanceUid = images.front().studyInstanceUid;
  std::vector<InstanceHeader> kept;
  for (auto& image : images) {
    if (image.studyInstanceUid == study.studyInstanceUid)
      kept.push_back(std::move(image));
    else
      skip(study, image.path, "belongs to study " + image.studyInstanceUid + ", not " + study.studyInstanceUid);
  }
  images = std::move(kept);
}

struct Pick {
  std::size_t instance = 0;
  int frame = 0;
};

struct Series {
  std::optional<int> number;  // the first Series Number its instances give
  std::vector<Slice> slices;
};

// Series by Series Number (missing last), then UID; within one, the policy's slices in order.
// Grouped by UID alone: instances disagreeing on the number are still one series.
std::vector<Pick> pickSlices(const std::vector<InstanceHeader>& images, const SelectionPolicy& selection) {
  std::map<std::string, Series> byUid;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const InstanceHeader& image = images[i];
    Series& series = byUid[image.seriesInstanceUid];
    if (!series.number) series.number = image.seriesNumber;
    for (int frame = 0; frame < image.frames; ++frame)
      series.slices.push_back(
          {i, frame, image.positions[std::size_t(frame)], image.normal, image.instanceNumber, image.path.string()});
  }
  std::vector<std::pair<const std::string, Series>*> ordered;
  ordered.reserve(byUid.size());
  for (auto& entry : byUid) ordered.push_back(&entry);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return std::make_tuple(!a->second.number, a->second.number.value_or(0)) <
           std::make_tuple(!b->second.number, b->second.number.value_or(0));
  });  // stable over the map's UID order
  std::vector<Pick> picks;
  for (auto* entry : ordered) {
    std::vector<Slice>& slices = entry->second.slices;
    orderSlices(slices);
    for (std::size_t index : selectSlices(slices.size(), selection))
      picks.push_back({slices[index].instance, slices[index].frame});
  }
  return picks;
}

// Each instance is read once, for all of its picked frames; a failure skips that instance only.
std::vector<std::optional<ModelImage>> decodePicks(const std::vector<InstanceHeader>& images,
                                                   const std::vector<Pick>& picks, const ImageSpec& spec,
                                                   StudyImages& study) {
  std::map<std::size_t, std::vector<std::size_t>> picksByInstance;  // instance -> positions in `picks`
  for (std::size_t p = 0; p < picks.size(); ++p) picksByInstance[picks[p].instance].push_back(p);
  std::vector<std::optional<ModelImage>> slots(picks.size());
  for (const auto& [instance, positions] : picksByInstance) {
    std::vector<int> frames;
    for (std::size_t p : positions) frames.push_back(picks[p].frame);
    try {
      const auto format = loadDicomFile(images[instance].path, Load::Complete);
      std::vector<ModelImage> prepared = prepareDataset(*format->getDataset(), spec, frames);
      for (std::size_t k = 0; k < positions.size(); ++k) slots[positions[k]] = std::move(prepared[k]);
    } catch (const Error& e) {
      skip(study, images[instance].path, e.what());
    } catch (const std::exception& e) {  // e.g. bad_alloc for absurd dimensions: one file, not the study
      skip(study, images[instance].path, std::string("cannot decode: ") + e.what());
    }
  }
  return slots;
}

// The header answers come from: the instance the model saw first, else the first image instance.
std::unique_ptr<DcmDataset> headerOf(const std::vector<InstanceHeader>& images, const StudyImages& study) {
  if (images.empty()) return nullptr;
  std::size_t chosen = 0;
  if (!study.images.empty()) {
    const auto seen = std::find_if(images.begin(), images.end(), [&](const InstanceHeader& image) {
      return image.sopInstanceUid == study.images.front().sopInstanceUid;
    });
    if (seen != images.end()) chosen = std::size_t(seen - images.begin());
  }
  try {
    const auto format = loadDicomFile(images[chosen].path, Load::Header);
    auto dataset = std::make_unique<DcmDataset>(*format->getDataset());
    for (const DcmTagKey& tag : {DCM_PixelData, DCM_FloatPixelData, DCM_DoubleFloatPixelData})
      dataset->findAndDeleteElement(tag);
    dataset->loadAllDataIntoMemory();  // no value left to be read from a file that may go away
    return dataset;
  } catch (const Error& e) {  // it was readable a moment ago; without a header the images still count
    log::warn("imaging: header of " + images[chosen].path.string() + " unreadable: " + e.what());
    return nullptr;
  }
}

}  // namespace

StudyImages loadStudy(const std::filesystem::path& fileOrFolder, const ImageSpec& spec,
                      const SelectionPolicy& selection) {
  validate(spec);
  validate(selection);
  StudyImages study;
  std::vector<InstanceHeader> images = scanImageInstances(studyFiles(fileOrFolder), study);
  keepFirstStudy(images, study);
  for (const auto& image : images) study.files.push_back(image.path);
  const std::vector<Pick> picks = pickSlices(images, selection);
  for (auto& slot : decodePicks(images, picks, spec, study))
    if (slot) study.images.push_back(std::move(*slot));
  study.header = headerOf(images, study);
  return study;
}

}  // namespace medvqa::imaging
