// Index members for the study lifecycle: when a study has stopped receiving instances, and the
// study summaries the node's HTTP API shows.

#include <string>

#include "index/index.h"

namespace medvqa {
namespace {

std::vector<std::string> splitModalities(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    const std::size_t end = joined.find('\\', start);
    out.push_back(joined.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

constexpr const char* kSummarySelect = R"sql(
  SELECT st.id, st.study_uid, p.patient_id, p.patient_name, st.study_date, st.description,
    st.accession, st.modalities, st.num_series, st.num_instances, st.last_received_at, st.stable,
    st.stable_at
  FROM studies st JOIN patients p ON p.id = st.patient_fk)sql";

StudySummary readSummary(const db::Statement& row) {
  StudySummary s;
  s.studyUid = row.columnText(1);
  s.patientId = row.columnText(2);
  s.patientName = row.columnText(3);
  s.studyDate = row.columnText(4);
  s.studyDescription = row.columnText(5);
  s.accession = row.columnText(6);
  s.modalities = splitModalities(row.columnText(7));
  s.numSeries = row.columnInt64(8);
  s.numInstances = row.columnInt64(9);
  s.lastReceivedAtMs = row.columnInt64(10);
  s.stable = row.columnInt64(11) != 0;
  s.stableAtMs = row.columnOptionalInt64(12);
  return s;
}

std::vector<SeriesSummary> seriesOf(db::Connection& c, std::int64_t studyId) {
  auto s = c.prepare(R"sql(
    SELECT series_uid, modality, series_number, description, num_instances FROM series
    WHERE study_fk = ?1 ORDER BY series_number IS NULL, series_number, series_uid)sql");
  s.bindInt64(1, studyId);
  std::vector<SeriesSummary> out;
  while (s.step()) {
    out.push_back(SeriesSummary{s.columnText(0), s.columnText(1), s.columnOptionalInt64(2),
                                s.columnText(3), s.columnInt64(4)});
  }
  return out;
}

}  // namespace

std::vector<std::string> Index::studiesQuietSince(std::int64_t cutoffMs) const {
  auto reader = readers_.acquire();
  auto s = reader->prepare(
      "SELECT study_uid FROM studies WHERE stable = 0 AND last_received_at <= ?1 "
      "ORDER BY last_received_at");
  s.bindInt64(1, cutoffMs);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.columnText(0));
  return out;
}

bool Index::markStable(const std::string& studyUid, std::int64_t atMs,
                       std::optional<std::int64_t> onlyIfQuietSinceMs) {
  std::lock_guard lock(writeMutex_);
  // One statement, so the "still quiet?" check and the mark are atomic against put().
  auto s = writer_.prepare(
      "UPDATE studies SET stable = 1, stable_at = ?2 "
      "WHERE study_uid = ?1 AND (?3 IS NULL OR last_received_at <= ?3)");
  s.bindText(1, studyUid).bindInt64(2, atMs).bindInt64(3, onlyIfQuietSinceMs);
  s.run();
  return writer_.changes() > 0;
}

std::vector<StudySummary> Index::studies(std::size_t limit, std::size_t offset) const {
  auto reader = readers_.acquire();
  auto s = reader->prepare(std::string(kSummarySelect) +
                           " ORDER BY st.last_received_at DESC, st.id DESC LIMIT ?1 OFFSET ?2");
  s.bindInt64(1, static_cast<std::int64_t>(limit)).bindInt64(2, static_cast<std::int64_t>(offset));
  std::vector<StudySummary> out;
  while (s.step()) out.push_back(readSummary(s));
  return out;
}

std::optional<StudySummary> Index::study(const std::string& studyUid) const {
  auto reader = readers_.acquire();
  // One read transaction, so the study row and its series are one consistent snapshot.
  db::Transaction snapshot(*reader, db::Transaction::Mode::Deferred);
  auto s = reader->prepare(std::string(kSummarySelect) + " WHERE st.study_uid = ?1");
  s.bindText(1, studyUid);
  if (!s.step()) return std::nullopt;
  StudySummary summary = readSummary(s);
  summary.series = seriesOf(*reader, s.columnInt64(0));
  return summary;
}

}  // namespace medvqa
