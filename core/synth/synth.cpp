#include "synth/synth.h"

#include <system_error>

#include "common/error.h"
#include "synth/study_plan.h"
#include "synth/study_questions.h"
#include "synth/study_writer.h"
#include "synth/truth_file.h"

namespace medvqa::synth {
namespace {

void checkOptions(const SynthOptions& o) {
  if (o.out.empty()) throw Error(ErrorCode::InvalidArgument, "no output folder given");
  if (o.studies == 0) throw Error(ErrorCode::InvalidArgument, "the number of studies must be at least 1");
  if (o.kinds.empty()) throw Error(ErrorCode::InvalidArgument, "no study kind given");
  std::error_code ec;
  // Refuse to mix runs: stale study folders would sit next to a truth file that ignores them.
  if (std::filesystem::exists(o.out, ec) && !std::filesystem::is_empty(o.out, ec))
    throw Error(ErrorCode::InvalidArgument, "output folder " + o.out.string() + " exists and is not empty");
  std::filesystem::create_directories(o.out, ec);
  if (ec) throw Error(ErrorCode::Io, "cannot create " + o.out.string() + ": " + ec.message());
}

void addRows(TruthWriter& truth, const StudyIdentity& id, StudyKind kind, const std::vector<QuestionAnswer>& qas) {
  for (const QuestionAnswer& qa : qas) {
    // An out-of-scope question has no type; its "phrasing" is its id in the catalogue.
    const std::string type = qa.phrasing ? std::string(toString(qa.phrasing->type)) : std::string();
    truth.write({id.studyUid, id.directory, std::string(toString(kind)), type, std::string(qa.text()), qa.answer,
                 qa.id(), qa.heldout(), qa.inverse(), std::string(toString(qa.expect))});
  }
}

void tally(SynthSummary& summary, const WrittenFiles& written) {
  summary.files += written.files;
  summary.bytes += written.bytes;
}

}  // namespace

SynthSummary generateDataset(const SynthOptions& options) {
  checkOptions(options);
  TruthWriter truth(options.out / "truth.jsonl");
  SynthSummary summary;
  const auto kindCount = static_cast<unsigned>(options.kinds.size());
  for (unsigned i = 0; i < options.studies; ++i) {
    const StudyKind kind = options.kinds[i % kindCount];
    const unsigned kindIndex = i / kindCount;  // findings are balanced within each kind
    if (kind == StudyKind::Chest) {
      const ChestStudy study = planChestStudy(options.seed, i, kindIndex);
      tally(summary, writeStudy(options.out / study.id.directory, study));
      addRows(truth, study.id, kind, studyQuestionsFor(study.findings, options.seed, i));
      ++summary.chestStudies;
    } else {
      const CtStudy study = planCtStudy(options.seed, i, kindIndex);
      tally(summary, writeStudy(options.out / study.id.directory, study));
      addRows(truth, study.id, kind, studyQuestionsFor(study.findings, options.seed, i));
      ++summary.ctStudies;
    }
  }
  summary.questions = truth.rows();
  truth.commit();
  return summary;
}

}  // namespace medvqa::synth
