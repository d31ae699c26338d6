#include "index/instance_writer.h"

#include <vector>

#include "common/error.h"
#include "common/log.h"
#include "dicom/uid.h"
#include "index/date_time.h"
#include "index/stored_instance_rows.h"
#include "index/text_match.h"

namespace medvqa::index_detail {
namespace {

// Rows a write may have left empty (a replaced instance's old series, a moved series' old
// study...). They are deleted bottom-up before commit, so no C-FIND ever sees an empty study.
struct Touched {
  std::vector<std::int64_t> series;
  std::vector<std::int64_t> studies;
  std::vector<std::int64_t> patients;
};

struct ExistingInstance {
  std::int64_t id = 0;
  std::int64_t seriesFk = 0;
  std::int64_t studyFk = 0;
  std::string relPath;
};

// A row found by its unique key, with the id of the row above it.
struct Row {
  std::int64_t id = 0;
  std::int64_t parentFk = 0;
};

void validate(const InstanceRecord& r) {
  dicom::requireUid(r.studyInstanceUid, "Study Instance UID");
  dicom::requireUid(r.seriesInstanceUid, "Series Instance UID");
  dicom::requireUid(r.sopInstanceUid, "SOP Instance UID");
  dicom::requireUid(r.sopClassUid, "SOP Class UID");
  dicom::requireUid(r.transferSyntaxUid, "Transfer Syntax UID");
  if (r.relPath.empty()) {
    throw Error(ErrorCode::InvalidArgument,
                "instance " + r.sopInstanceUid + " has no file path to index");
  }
}

std::string storedDate(const std::string& value) { return normalizeDate(value).value_or(value); }

std::string storedTime(const std::string& value) { return normalizeTime(value).value_or(""); }

// The UTC start of a DT value's span, "" (NULL: never range-matched) when it is not a date-time.
// Its offset is its own suffix, else the instance's Timezone Offset From UTC, else local time.
std::string storedDateTime(const std::string& value, const std::string& timezoneOffset) {
  const auto span = dateTimeSpan(value, utcOffsetMinutes(timezoneOffset));
  return span ? span->first : "";
}

std::optional<ExistingInstance> findExisting(db::Connection& c, const std::string& sopUid) {
  auto s = c.cached(R"sql(
    SELECT i.id, i.series_fk, se.study_fk, i.rel_path
    FROM instances i JOIN series se ON se.id = i.series_fk
    WHERE i.sop_instance_uid = ?1)sql");
  s->bindText(1, sopUid);
  if (!s->step()) return std::nullopt;
  return ExistingInstance{s->columnInt64(0), s->columnInt64(1), s->columnInt64(2),
                          s->columnText(3)};
}

std::optional<Row> findRow(db::Connection& c, const char* sql, const std::string& uid) {
  auto s = c.cached(sql);
  s->bindText(1, uid);
  if (!s->step()) return std::nullopt;
  return Row{s->columnInt64(0), s->columnInt64(1)};
}

// Patients are identified by PatientID + IssuerOfPatientID; their attributes follow the latest
// instance received.
std::int64_t upsertPatient(db::Connection& c, const InstanceRecord& r) {
  auto s = c.cached(R"sql(
    INSERT INTO patients (patient_id, issuer, patient_name, patient_name_upper, birth_date, sex)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)
    ON CONFLICT (patient_id, issuer) DO UPDATE SET
      patient_name = excluded.patient_name, patient_name_upper = excluded.patient_name_upper,
      birth_date = excluded.birth_date, sex = excluded.sex
    RETURNING id)sql");
  const std::string name = normalizePersonName(r.patientName);
  s->bindText(1, r.patientId).bindText(2, r.issuerOfPatientId);
  s->bindTextOrNull(3, name).bindTextOrNull(4, toUpperUtf8(name));
  s->bindTextOrNull(5, storedDate(r.patientBirthDate)).bindTextOrNull(6, r.patientSex);
  if (!s->step()) throw Error(ErrorCode::Database, "patient upsert returned no id");
  return s->columnInt64(0);
}

// Binds ?2.. of the study INSERT and UPDATE below; ?1 is the UID or the row id.
void bindStudy(db::Statement& s, const InstanceRecord& r, std::int64_t patientFk,
               std::int64_t receivedAtMs) {
  const std::string referring = normalizePersonName(r.referringPhysicianName);
  s.bindInt64(2, patientFk).bindTextOrNull(3, storedDate(r.studyDate));
  s.bindTextOrNull(4, r.studyTime).bindTextOrNull(5, storedTime(r.studyTime));
  s.bindTextOrNull(6, r.accessionNumber).bindTextOrNull(7, r.studyId);
  s.bindTextOrNull(8, r.studyDescription).bindTextOrNull(9, referring);
  s.bindTextOrNull(10, toUpperUtf8(referring)).bindInt64(11, receivedAtMs);
}

// Creates or updates the study; an instance from outside makes it "not stable" again.
std::int64_t upsertStudy(db::Connection& c, const InstanceRecord& r, std::int64_t patientFk,
                         std::int64_t receivedAtMs, Settling settling, Touched& touched) {
  const auto existing =
      findRow(c, "SELECT id, patient_fk FROM studies WHERE study_uid = ?1", r.studyInstanceUid);
  if (!existing) {
    auto s = c.cached(R"sql(
      INSERT INTO studies (study_uid, patient_fk, study_date, study_time, study_time_norm,
        accession, study_id, description, referring_physician, referring_physician_upper,
        last_received_at)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11))sql");
    s->bindText(1, r.studyInstanceUid);
    bindStudy(*s, r, patientFk, receivedAtMs);
    s->run();
    return c.lastInsertRowId();
  }
  if (existing->parentFk != patientFk) {
    log::warn("study " + r.studyInstanceUid + " moves to another patient (instance " +
              r.sopInstanceUid + " names a different PatientID/issuer)");
    touched.patients.push_back(existing->parentFk);
  }
  auto s = c.cached(R"sql(
    UPDATE studies SET patient_fk = ?2, study_date = ?3, study_time = ?4, study_time_norm = ?5,
      accession = ?6, study_id = ?7, description = ?8, referring_physician = ?9,
      referring_physician_upper = ?10,
      last_received_at = CASE WHEN ?12 THEN ?11 ELSE last_received_at END,
      stable = CASE WHEN ?12 THEN 0 ELSE stable END,
      stable_at = CASE WHEN ?12 THEN NULL ELSE stable_at END
    WHERE id = ?1)sql");
  s->bindInt64(1, existing->id).bindInt64(12, settling == Settling::Restart ? 1 : 0);
  bindStudy(*s, r, patientFk, receivedAtMs);
  s->run();
  return existing->id;
}

// Binds ?2.. of the series INSERT and UPDATE below; ?1 is the UID or the row id.
void bindSeries(db::Statement& s, const InstanceRecord& r, std::int64_t studyFk) {
  s.bindInt64(2, studyFk).bindTextOrNull(3, r.modality).bindInt64(4, r.seriesNumber);
  s.bindTextOrNull(5, r.seriesDescription).bindTextOrNull(6, r.bodyPartExamined);
  s.bindTextOrNull(7, storedDate(r.seriesDate)).bindTextOrNull(8, r.seriesTime);
  s.bindTextOrNull(9, storedTime(r.seriesTime));
}

std::int64_t upsertSeries(db::Connection& c, const InstanceRecord& r, std::int64_t studyFk,
                          Touched& touched) {
  const auto existing =
      findRow(c, "SELECT id, study_fk FROM series WHERE series_uid = ?1", r.seriesInstanceUid);
  if (!existing) {
    auto s = c.cached(R"sql(
      INSERT INTO series (series_uid, study_fk, modality, series_number, description, body_part,
        series_date, series_time, series_time_norm)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))sql");
    s->bindText(1, r.seriesInstanceUid);
    bindSeries(*s, r, studyFk);
    s->run();
    return c.lastInsertRowId();
  }
  if (existing->parentFk != studyFk) {
    log::warn("series " + r.seriesInstanceUid + " moves to study " + r.studyInstanceUid +
              " (named by instance " + r.sopInstanceUid + ")");
    touched.studies.push_back(existing->parentFk);
  }
  auto s = c.cached(R"sql(
    UPDATE series SET study_fk = ?2, modality = ?3, series_number = ?4, description = ?5,
      body_part = ?6, series_date = ?7, series_time = ?8, series_time_norm = ?9
    WHERE id = ?1)sql");
  s->bindInt64(1, existing->id);
  bindSeries(*s, r, studyFk);
  s->run();
  return existing->id;
}

// Binds ?2.. of the instance INSERT and UPDATE below; ?1 is the UID or the row id.
void bindInstance(db::Statement& s, const InstanceRecord& r, std::int64_t seriesFk,
                  std::int64_t receivedAtMs) {
  s.bindInt64(2, seriesFk).bindText(3, r.sopClassUid).bindInt64(4, r.instanceNumber);
  s.bindTextOrNull(5, storedDate(r.contentDate)).bindTextOrNull(6, r.contentTime);
  s.bindTextOrNull(7, storedTime(r.contentTime)).bindInt64(8, r.numberOfFrames);
  s.bindText(9, r.transferSyntaxUid).bindText(10, r.relPath);
  s.bindInt64(11, static_cast<std::int64_t>(r.fileSize)).bindInt64(12, receivedAtMs);
  s.bindTextOrNull(13, r.acquisitionDateTime);
  s.bindTextOrNull(14, storedDateTime(r.acquisitionDateTime, r.timezoneOffsetFromUtc));
}

void insertInstance(db::Connection& c, const InstanceRecord& r, std::int64_t seriesFk,
                    std::int64_t receivedAtMs) {
  auto s = c.cached(R"sql(
    INSERT INTO instances (sop_instance_uid, series_fk, sop_class_uid, instance_number,
      content_date, content_time, content_time_norm, number_of_frames, transfer_syntax_uid,
      rel_path, file_size, received_at, acquisition_datetime, acquisition_datetime_norm)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14))sql");
  s->bindText(1, r.sopInstanceUid);
  bindInstance(*s, r, seriesFk, receivedAtMs);
  s->run();
}

// Moving series_fk fires the instances_moved trigger, which moves the counters with it.
void updateInstance(db::Connection& c, std::int64_t id, const InstanceRecord& r,
                    std::int64_t seriesFk, std::int64_t receivedAtMs) {
  auto s = c.cached(R"sql(
    UPDATE instances SET series_fk = ?2, sop_class_uid = ?3, instance_number = ?4,
      content_date = ?5, content_time = ?6, content_time_norm = ?7, number_of_frames = ?8,
      transfer_syntax_uid = ?9, rel_path = ?10, file_size = ?11, received_at = ?12,
      acquisition_datetime = ?13, acquisition_datetime_norm = ?14
    WHERE id = ?1)sql");
  s->bindInt64(1, id);
  bindInstance(*s, r, seriesFk, receivedAtMs);
  s->run();
}

// Deletes row `id` when `selectEmpty` finds it empty (by its counter) and returns the parent id
// that query selects; nullopt when the row is gone or not empty.
std::optional<std::int64_t> deleteIfEmpty(db::Connection& c, const char* selectEmpty,
                                          const char* remove, std::int64_t id) {
  std::int64_t parent = 0;
  {
    auto select = c.cached(selectEmpty);
    select->bindInt64(1, id);
    if (!select->step()) return std::nullopt;
    parent = select->columnInt64(0);
  }  // reset before the DELETE below changes the table it reads
  auto del = c.cached(remove);
  del->bindInt64(1, id).run();
  return parent;
}

void pruneEmpty(db::Connection& c, Touched& touched) {
  for (const std::int64_t id : touched.series) {
    if (auto study =
            deleteIfEmpty(c, "SELECT study_fk FROM series WHERE id = ?1 AND num_instances = 0",
                          "DELETE FROM series WHERE id = ?1", id)) {
      touched.studies.push_back(*study);
    }
  }
  for (const std::int64_t id : touched.studies) {
    if (auto patient =
            deleteIfEmpty(c, "SELECT patient_fk FROM studies WHERE id = ?1 AND num_series = 0",
                          "DELETE FROM studies WHERE id = ?1", id)) {
      touched.patients.push_back(*patient);
    }
  }
  for (const std::int64_t id : touched.patients) {
    deleteIfEmpty(c, "SELECT id FROM patients WHERE id = ?1 AND num_studies = 0",
                  "DELETE FROM patients WHERE id = ?1", id);
  }
}

// A study that lost an instance or a series to another has changed too: it must settle again
// before the pipeline looks at it. (A deleted study simply matches no row.)
void markChanged(db::Connection& c, const std::vector<std::int64_t>& studies,
                 std::int64_t receivedAtMs) {
  auto s = c.cached(
      "UPDATE studies SET last_received_at = ?2, stable = 0, stable_at = NULL WHERE id = ?1");
  for (const std::int64_t id : studies) {
    s->bindInt64(1, id).bindInt64(2, receivedAtMs);
    s->run();
    s->reset();  // the handle resets only when it goes out of scope
  }
}

}  // namespace

PutResult putInstance(db::Connection& c, const InstanceRecord& r, DuplicatePolicy policy,
                      std::int64_t receivedAtMs, Settling settling) {
  validate(r);
  db::Transaction transaction(c, db::Transaction::Mode::Immediate);
  const auto existing = findExisting(c, r.sopInstanceUid);
  if (existing && policy == DuplicatePolicy::KeepExisting) {
    return PutResult{PutOutcome::KeptExisting, std::nullopt};  // nothing written: rolls back
  }
  Touched touched;
  const std::int64_t patientFk = upsertPatient(c, r);
  const std::int64_t studyFk = upsertStudy(c, r, patientFk, receivedAtMs, settling, touched);
  const std::int64_t seriesFk = upsertSeries(c, r, studyFk, touched);
  PutResult result;
  if (existing) {
    updateInstance(c, existing->id, r, seriesFk, receivedAtMs);
    if (existing->seriesFk != seriesFk) touched.series.push_back(existing->seriesFk);
    if (existing->studyFk != studyFk) touched.studies.push_back(existing->studyFk);
    result.outcome = PutOutcome::Replaced;
    if (existing->relPath != r.relPath) result.previousRelPath = existing->relPath;
  } else {
    insertInstance(c, r, seriesFk, receivedAtMs);
    result.outcome = PutOutcome::Inserted;
  }
  pruneEmpty(c, touched);
  markChanged(c, touched.studies, receivedAtMs);
  transaction.commit();
  return result;
}

std::optional<StoredInstance> removeInstance(db::Connection& c, const std::string& sopInstanceUid) {
  db::Transaction transaction(c, db::Transaction::Mode::Immediate);
  const auto existing = findExisting(c, sopInstanceUid);
  if (!existing) return std::nullopt;
  auto stored = selectInstance(c, sopInstanceUid);
  auto del = c.cached("DELETE FROM instances WHERE id = ?1");
  del->bindInt64(1, existing->id).run();
  Touched touched;
  touched.series.push_back(existing->seriesFk);
  pruneEmpty(c, touched);
  transaction.commit();
  return stored;
}

}  // namespace medvqa::index_detail
