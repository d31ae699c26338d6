#pragma once

// A study as the model sees it: its image instances grouped by series, each series reduced to a
// few slices by the manifest's "selection" policy, each slice decoded and prepared.

#include <dcmtk/dcmdata/dcdatset.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imaging/model_image.h"

namespace medvqa::imaging {

// The manifest's "selection" section, per series.
enum class SlicePolicy {
  Middle,  // the middle slice
  Even,    // `count` evenly spaced slices (the centres of `count` equal runs; 1 = the middle)
  All,     // every slice while there are at most `cap`; more are thinned to `cap` evenly spaced
};

struct SelectionPolicy {
  SlicePolicy policy = SlicePolicy::Middle;
  int count = 1;  // Even only
  int cap = 16;   // All only; per series
};

// "middle" | "even" | "all"; throws Error(InvalidArgument) naming the value otherwise.
SlicePolicy parseSlicePolicy(std::string_view name);
std::string_view toString(SlicePolicy policy);

struct SkippedImage {
  std::filesystem::path path;
  std::string reason;
};

struct StudyImages {
  std::string studyInstanceUid;
  // What the model sees, after selection: series by series (Series Number, then UID), slices in
  // position order within a series.
  std::vector<ModelImage> images;
  // Files that are not DICOM, image instances whose pixels could not be decoded, instances of a
  // second study in the folder. Each was also logged at warn.
  std::vector<SkippedImage> skipped;
  // The first image instance's data set (the instance of images[0] when any was decoded), without
  // its pixel data: for answers that the header gives (modality, body part, patient sex...).
  // Null when the input held no image instance.
  std::unique_ptr<DcmDataset> header;
  // The image instances considered (every instance of the study with pixel data), sorted.
  std::vector<std::filesystem::path> files;
};

// Loads one file or a folder (recursively). Instances without pixel data (SR, KOS...) are
// ignored silently. Only the selected slices are decoded. No decodable image is not an error
// here (`images` is empty; the caller decides). Throws Error(NotFound) when the path does not
// exist and Error(InvalidArgument) for a bad spec or policy.
StudyImages loadStudy(const std::filesystem::path& fileOrFolder, const ImageSpec& spec,
                      const SelectionPolicy& selection);

}  // namespace medvqa::imaging
