#include "hostile.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <ostream>
#include <stdexcept>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/oflog/oflog.h>

#include "common/hash.h"
#include "dataset.h"
#include "encode.h"
#include "phantom.h"

namespace medvqa::gen {
namespace {

namespace fs = std::filesystem;

/// Sets a string attribute without any validity check (DCMTK's putString does not validate).
void putRaw(DcmDataset& ds, const DcmTagKey& tag, const std::string& value) {
  const OFCondition c = ds.putAndInsertString(tag, value.c_str(), static_cast<Uint32>(value.size()));
  if (c.bad()) throw std::runtime_error(std::string("cannot set ") + DcmTag(tag).getTagName() + ": " + c.text());
}

struct Kind {
  const char* name;
  const char* expectation;
  const char* description;
  // Mutates the dataset before writing; returns the SOP Instance UID written.
  std::function<std::string(DcmDataset&, const GenOptions&)> mutate;
  enum class Post { None, Truncate, SpacePad, NoMetaUid } post = Post::None;
};

std::string sopOf(DcmDataset& d) {
  OFString u;
  d.findAndGetOFString(DCM_SOPInstanceUID, u);
  return u.c_str();
}

/// Replaces every occurrence of `from` by `to` (same length) in a file.
void replaceAll(const fs::path& path, const std::string& from, const std::string& to) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  std::size_t n = 0;
  for (std::size_t pos = bytes.find(from); pos != std::string::npos; pos = bytes.find(from, pos + to.size()), ++n)
    bytes.replace(pos, from.size(), to);
  if (n == 0) throw std::runtime_error("hostile: pattern to patch not found in " + path.string());
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string uidOfLength(std::size_t len, std::uint64_t seed) {
  std::string uid = "2.25." + std::to_string(seed) + ".";
  while (uid.size() < len) uid += char('1' + uid.size() % 9);
  return uid.substr(0, len);
}

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> k = {
      {"traversal-uid", "reject", "SOPInstanceUID '../../etc/x' (path traversal through a file name)",
       [](DcmDataset& d, const GenOptions&) { putRaw(d, DCM_SOPInstanceUID, "../../etc/x"); return std::string("../../etc/x"); }},
      {"traversal-study-uid", "reject", "StudyInstanceUID '../../../tmp/medvqa-evil' (directory traversal)",
       [](DcmDataset& d, const GenOptions&) {
         putRaw(d, DCM_StudyInstanceUID, "../../../tmp/medvqa-evil");
         return sopOf(d);
       }},
      {"traversal-series-uid", "reject", "SeriesInstanceUID '..' (directory traversal)",
       [](DcmDataset& d, const GenOptions&) {
         putRaw(d, DCM_SeriesInstanceUID, "..");
         return sopOf(d);
       }},
      {"uid-with-slash", "reject", "SOPInstanceUID '1.2.840.113619/2.55.1' (a slash)",
       [](DcmDataset& d, const GenOptions&) { putRaw(d, DCM_SOPInstanceUID, "1.2.840.113619/2.55.1"); return std::string("1.2.840.113619/2.55.1"); }},
      {"uid-too-long", "reject", "SOPInstanceUID of 70 characters (limit 64)",
       [](DcmDataset& d, const GenOptions& o) { const std::string u = uidOfLength(70, o.seed); putRaw(d, DCM_SOPInstanceUID, u); return u; }},
      {"uid-letters", "reject", "SOPInstanceUID '1.2.840.10008.abc.1' (letters)",
       [](DcmDataset& d, const GenOptions&) { putRaw(d, DCM_SOPInstanceUID, "1.2.840.10008.abc.1"); return std::string("1.2.840.10008.abc.1"); }},
      {"empty-sop-uid", "reject", "SOPInstanceUID present but empty",
       [](DcmDataset& d, const GenOptions&) { putRaw(d, DCM_SOPInstanceUID, ""); return std::string(); }},
      {"missing-sop-uid", "reject", "no SOPInstanceUID in the dataset (nor in the meta header); stock storescu refuses to send it",
       [](DcmDataset& d, const GenOptions&) {
         delete d.remove(DCM_SOPInstanceUID);
         return std::string("<absent>");
       },
       Kind::Post::NoMetaUid},
      {"padded-uid", "accept", "odd-length Study/Series/SOP Instance UIDs, each padded with one trailing NUL (the standard padding); the NUL is not part of the UID",
       [](DcmDataset& d, const GenOptions& o) {
         auto odd = [](std::string u) { if (u.size() % 2 == 0) u.pop_back(); return u; };
         putRaw(d, DCM_StudyInstanceUID, odd(genUid(o.seed, "hostile-study", {8})));
         putRaw(d, DCM_SeriesInstanceUID, odd(genUid(o.seed, "hostile-series", {8})));
         const std::string u = odd(genUid(o.seed, "hostile-sop", {8}));
         putRaw(d, DCM_SOPInstanceUID, u);
         return u;
       }},
      {"space-padded-uid", "accept", "SOPInstanceUID padded with a trailing SPACE (a common vendor error; trim it)",
       [](DcmDataset& d, const GenOptions& o) {
         std::string u = genUid(o.seed, "hostile-sop", {9});
         if (u.size() % 2 == 0) u.pop_back();
         putRaw(d, DCM_SOPInstanceUID, u);  // DCMTK strips spaces from UIDs: the NUL pad is patched below
         return u;
       },
       Kind::Post::SpacePad},
      {"leading-zero-uid", "accept", "SOPInstanceUID '1.2.840.0123.5.<n>' (a component with a leading zero: invalid, but seen in the wild)",
       [](DcmDataset& d, const GenOptions& o) {
         const std::string u = "1.2.840.0123.5." + std::to_string(o.seed);
         putRaw(d, DCM_SOPInstanceUID, u);
         return u;
       }},
      {"truncated", "reject", "a valid file cut in the middle of its pixel data",
       [](DcmDataset& d, const GenOptions&) { return sopOf(d); },
       Kind::Post::Truncate},
  };
  return k;
}

}  // namespace

void listHostileKinds(std::ostream& os) {
  for (const Kind& k : kinds()) os << k.name << "\t" << k.expectation << "\t" << k.description << "\n";
}

HostileResult writeHostile(const GenOptions& o) {
  const Kind* kind = nullptr;
  for (const Kind& k : kinds())
    if (o.hostile == k.name) kind = &k;
  if (!kind) throw UsageError("--hostile: unknown kind '" + o.hostile + "' (see --list-hostile)");

  OFLog::configure(OFLogger::ERROR_LOG_LEVEL);  // DCMTK warns about what we do on purpose
  // One ordinary explicit-LE instance of its own study, then the mutation.
  GenOptions base = o;
  base.studies = base.patients = 1;
  // Each kind gets its own patient, study, series and UIDs, never shared with a corpus of the same seed.
  base.seed = streamSeed(o.seed, "hostile", {hashLabel(kind->name)});
  const CorpusPlan plan(base);
  StudyInfo st = plan.study(0);
  const SeriesInfo sr = plan.series(st, 0);
  const Image img = makePhantom(o.modality, st.anatomy, o.rows, o.cols, 0, 1, plan.noiseSeed(0, 0, 0));
  auto ff = buildInstance(o.modality, st, sr, 0, plan.sopInstanceUid(0, 0, 0), img, false);
  DcmDataset& ds = *ff->getDataset();
  HostileResult r;
  r.sopInstanceUid = kind->mutate(ds, base);
  r.expectation = kind->expectation;

  if (o.out.has_parent_path()) fs::create_directories(o.out.parent_path());
  E_FileWriteMode mode = EWM_fileformat;
  if (kind->post == Kind::Post::NoMetaUid) {
    // DCMTK would invent a MediaStorageSOPInstanceUID: build the meta header, then drop it.
    ff->validateMetaInfo(EXS_LittleEndianExplicit, EWM_createNewMeta);
    DcmMetaInfo& meta = *ff->getMetaInfo();
    delete meta.remove(DCM_MediaStorageSOPInstanceUID);
    meta.computeGroupLengthAndPadding(EGL_recalcGL, EPD_noChange, EXS_LittleEndianExplicit, EET_ExplicitLength);
    mode = EWM_dontUpdateMeta;
  }
  const OFCondition c = ff->saveFile(o.out.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_recalcGL,
                                     EPD_noChange, 0, 0, mode);
  if (c.bad()) throw std::runtime_error("cannot write " + o.out.string() + ": " + c.text());
  switch (kind->post) {
    case Kind::Post::Truncate:
      // PixelData is the last element: cut the file in the middle of its value.
      fs::resize_file(o.out, fs::file_size(o.out) - img.pixelBytes() / 2);
      break;
    case Kind::Post::SpacePad:
      // The odd-length UID was padded with NUL; make that pad a SPACE (meta header and dataset).
      replaceAll(o.out, r.sopInstanceUid + std::string(1, '\0'), r.sopInstanceUid + " ");
      break;
    default:
      break;
  }
  return r;
}

}  // namespace medvqa::gen
