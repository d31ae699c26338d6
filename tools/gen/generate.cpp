#include "generate.h"

#include <filesystem>
#include <stdexcept>
#include <string>

#include <dcmtk/dcmdata/dcfilefo.h>

#include "dataset.h"
#include "encode.h"
#include "dicom/uid.h"
#include "phantom.h"

namespace medvqa::gen {

GenSummary generateCorpus(const GenOptions& o) {
  namespace fs = std::filesystem;
  const CodecRegistration codecs;
  const CorpusPlan plan(o);
  GenSummary sum;
  for (unsigned s = 0; s < o.studies; ++s) {
    const StudyInfo st = plan.study(s);
    for (unsigned se = 0; se < o.seriesPerStudy; ++se) {
      const SeriesInfo sr = plan.series(st, se);
      const fs::path dir = o.out / std::to_string(s) / std::to_string(se);
      fs::create_directories(dir);
      for (unsigned i = 0; i < o.instances; ++i) {
        Image img = makePhantom(o.modality, st.anatomy, o.rows, o.cols, i, o.instances, plan.noiseSeed(s, se, i));
        const bool eightBit = needsEightBit(o.syntax);
        if (eightBit) img = toEightBit(img);
        const std::string sop = plan.sopInstanceUid(s, se, i);
        for (const std::string* uid : {&sop, &st.uid, &sr.uid})  // cannot fail; cheap to check
          dicom::requireUid(*uid, "generated UID");
        auto ff = buildInstance(o.modality, st, sr, i, sop, img, eightBit);
        const fs::path file = dir / (std::to_string(i) + ".dcm");
        saveInSyntax(*ff, img, o.syntax, file);
        ++sum.files;
        sum.bytes += fs::file_size(file);
      }
    }
  }
  return sum;
}

}  // namespace medvqa::gen
