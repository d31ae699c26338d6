#include "index/schema.h"

#include <string>

#include "common/error.h"
#include "common/log.h"

namespace medvqa::index_detail {
namespace {

// Four tables, one per Query/Retrieve level. Absent attributes are NULL so that comparisons never
// match them. The *_upper columns hold upper-cased person names for case-insensitive PN matching;
// *_time_norm columns hold times as fixed-width "HHMMSS.FFFFFF" so ranges compare as strings.
// All text columns use sqlite's default BINARY collation, which GLOB needs to use an index for a
// prefix pattern such as 'DOE*'.
constexpr const char* kTables = R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);

CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL,
  issuer TEXT NOT NULL DEFAULT '',
  patient_name TEXT,
  patient_name_upper TEXT,
  birth_date TEXT,
  sex TEXT,
  num_studies INTEGER NOT NULL DEFAULT 0,
  num_series INTEGER NOT NULL DEFAULT 0,
  num_instances INTEGER NOT NULL DEFAULT 0,
  UNIQUE (patient_id, issuer)
);

CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  study_uid TEXT NOT NULL UNIQUE,
  patient_fk INTEGER NOT NULL REFERENCES patients (id),
  study_date TEXT,
  study_time TEXT,
  study_time_norm TEXT,
  accession TEXT,
  study_id TEXT,
  description TEXT,
  referring_physician TEXT,
  referring_physician_upper TEXT,
  modalities TEXT,
  num_series INTEGER NOT NULL DEFAULT 0,
  num_instances INTEGER NOT NULL DEFAULT 0,
  last_received_at INTEGER NOT NULL,
  stable INTEGER NOT NULL DEFAULT 0,
  stable_at INTEGER
);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  series_uid TEXT NOT NULL UNIQUE,
  study_fk INTEGER NOT NULL REFERENCES studies (id),
  modality TEXT,
  series_number INTEGER,
  description TEXT,
  body_part TEXT,
  series_date TEXT,
  series_time TEXT,
  series_time_norm TEXT,
  num_instances INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE instances (
  id INTEGER PRIMARY KEY,
  sop_instance_uid TEXT NOT NULL UNIQUE,
  series_fk INTEGER NOT NULL REFERENCES series (id),
  sop_class_uid TEXT NOT NULL,
  instance_number INTEGER,
  content_date TEXT,
  content_time TEXT,
  content_time_norm TEXT,
  number_of_frames INTEGER,
  transfer_syntax_uid TEXT NOT NULL,
  rel_path TEXT NOT NULL,
  file_size INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  acquisition_datetime TEXT,
  acquisition_datetime_norm TEXT
);
)sql";

// One index per matching key (the UNIQUE constraints above already index the UIDs and PatientID).
// PatientSex has none: with two or three values in the whole table an index narrows nothing and
// would only tempt the planner away from a selective one.
constexpr const char* kIndexes = R"sql(
CREATE INDEX patients_name ON patients (patient_name_upper);
CREATE INDEX patients_birth_date ON patients (birth_date);

CREATE INDEX studies_patient ON studies (patient_fk);
CREATE INDEX studies_date ON studies (study_date);
CREATE INDEX studies_time ON studies (study_time_norm);
CREATE INDEX studies_accession ON studies (accession);
CREATE INDEX studies_study_id ON studies (study_id);
CREATE INDEX studies_description ON studies (description);
CREATE INDEX studies_referring ON studies (referring_physician_upper);
CREATE INDEX studies_unstable ON studies (stable, last_received_at);
CREATE INDEX studies_received ON studies (last_received_at);

CREATE INDEX series_study_modality ON series (study_fk, modality);
CREATE INDEX series_modality ON series (modality);
CREATE INDEX series_number ON series (series_number);
CREATE INDEX series_description ON series (description);
CREATE INDEX series_body_part ON series (body_part);
CREATE INDEX series_date ON series (series_date);
CREATE INDEX series_time ON series (series_time_norm);

CREATE INDEX instances_series ON instances (series_fk, instance_number);
CREATE INDEX instances_sop_class ON instances (sop_class_uid);
CREATE INDEX instances_content_date ON instances (content_date);
CREATE INDEX instances_content_time ON instances (content_time_norm);
CREATE INDEX instances_acquisition_datetime ON instances (acquisition_datetime_norm);
)sql";

// Version 1 -> 2: AcquisitionDateTime (DT) became an IMAGE key. Instances indexed before have no
// value in the new columns (NULL: they match no AcquisitionDateTime range) until they are sent
// again; everything else is kept.
constexpr const char* kMigrateToVersion2 = R"sql(
ALTER TABLE instances ADD COLUMN acquisition_datetime TEXT;
ALTER TABLE instances ADD COLUMN acquisition_datetime_norm TEXT;
CREATE INDEX instances_acquisition_datetime ON instances (acquisition_datetime_norm);
)sql";

// Counters live in the tables and are kept by triggers, so every write path (insert, replace,
// move, delete) updates them inside its own transaction and none can forget: a STUDY-level
// C-FIND over thousands of studies reads NumberOfStudyRelatedInstances without touching the
// instances table. ModalitiesInStudy is kept the same way.
constexpr const char* kCounterTriggers = R"sql(
CREATE TRIGGER instances_counted AFTER INSERT ON instances BEGIN
  UPDATE series SET num_instances = num_instances + 1 WHERE id = NEW.series_fk;
  UPDATE studies SET num_instances = num_instances + 1
    WHERE id = (SELECT study_fk FROM series WHERE id = NEW.series_fk);
  UPDATE patients SET num_instances = num_instances + 1
    WHERE id = (SELECT st.patient_fk FROM series se JOIN studies st ON st.id = se.study_fk
                WHERE se.id = NEW.series_fk);
END;

CREATE TRIGGER instances_uncounted AFTER DELETE ON instances BEGIN
  UPDATE series SET num_instances = num_instances - 1 WHERE id = OLD.series_fk;
  UPDATE studies SET num_instances = num_instances - 1
    WHERE id = (SELECT study_fk FROM series WHERE id = OLD.series_fk);
  UPDATE patients SET num_instances = num_instances - 1
    WHERE id = (SELECT st.patient_fk FROM series se JOIN studies st ON st.id = se.study_fk
                WHERE se.id = OLD.series_fk);
END;

CREATE TRIGGER instances_moved AFTER UPDATE OF series_fk ON instances
WHEN OLD.series_fk <> NEW.series_fk BEGIN
  UPDATE series SET num_instances = num_instances - 1 WHERE id = OLD.series_fk;
  UPDATE studies SET num_instances = num_instances - 1
    WHERE id = (SELECT study_fk FROM series WHERE id = OLD.series_fk);
  UPDATE patients SET num_instances = num_instances - 1
    WHERE id = (SELECT st.patient_fk FROM series se JOIN studies st ON st.id = se.study_fk
                WHERE se.id = OLD.series_fk);
  UPDATE series SET num_instances = num_instances + 1 WHERE id = NEW.series_fk;
  UPDATE studies SET num_instances = num_instances + 1
    WHERE id = (SELECT study_fk FROM series WHERE id = NEW.series_fk);
  UPDATE patients SET num_instances = num_instances + 1
    WHERE id = (SELECT st.patient_fk FROM series se JOIN studies st ON st.id = se.study_fk
                WHERE se.id = NEW.series_fk);
END;

CREATE TRIGGER series_counted AFTER INSERT ON series BEGIN
  UPDATE studies SET num_series = num_series + 1, num_instances = num_instances + NEW.num_instances
    WHERE id = NEW.study_fk;
  UPDATE patients SET num_series = num_series + 1, num_instances = num_instances + NEW.num_instances
    WHERE id = (SELECT patient_fk FROM studies WHERE id = NEW.study_fk);
END;

CREATE TRIGGER series_uncounted AFTER DELETE ON series BEGIN
  UPDATE studies SET num_series = num_series - 1, num_instances = num_instances - OLD.num_instances
    WHERE id = OLD.study_fk;
  UPDATE patients SET num_series = num_series - 1, num_instances = num_instances - OLD.num_instances
    WHERE id = (SELECT patient_fk FROM studies WHERE id = OLD.study_fk);
END;

CREATE TRIGGER series_moved AFTER UPDATE OF study_fk ON series
WHEN OLD.study_fk <> NEW.study_fk BEGIN
  UPDATE studies SET num_series = num_series - 1, num_instances = num_instances - OLD.num_instances
    WHERE id = OLD.study_fk;
  UPDATE patients SET num_series = num_series - 1, num_instances = num_instances - OLD.num_instances
    WHERE id = (SELECT patient_fk FROM studies WHERE id = OLD.study_fk);
  UPDATE studies SET num_series = num_series + 1, num_instances = num_instances + NEW.num_instances
    WHERE id = NEW.study_fk;
  UPDATE patients SET num_series = num_series + 1, num_instances = num_instances + NEW.num_instances
    WHERE id = (SELECT patient_fk FROM studies WHERE id = NEW.study_fk);
END;

CREATE TRIGGER studies_counted AFTER INSERT ON studies BEGIN
  UPDATE patients SET num_studies = num_studies + 1, num_series = num_series + NEW.num_series,
    num_instances = num_instances + NEW.num_instances WHERE id = NEW.patient_fk;
END;

CREATE TRIGGER studies_uncounted AFTER DELETE ON studies BEGIN
  UPDATE patients SET num_studies = num_studies - 1, num_series = num_series - OLD.num_series,
    num_instances = num_instances - OLD.num_instances WHERE id = OLD.patient_fk;
END;

CREATE TRIGGER studies_moved AFTER UPDATE OF patient_fk ON studies
WHEN OLD.patient_fk <> NEW.patient_fk BEGIN
  UPDATE patients SET num_studies = num_studies - 1, num_series = num_series - OLD.num_series,
    num_instances = num_instances - OLD.num_instances WHERE id = OLD.patient_fk;
  UPDATE patients SET num_studies = num_studies + 1, num_series = num_series + NEW.num_series,
    num_instances = num_instances + NEW.num_instances WHERE id = NEW.patient_fk;
END;
)sql";

// studies.modalities: the distinct, sorted, non-empty modalities of the study's series, joined
// with backslashes as ModalitiesInStudy is returned. Refreshed whenever a series appears,
// disappears, changes modality or moves.
constexpr const char* kModalityTriggers = R"sql(
CREATE TRIGGER modalities_series_added AFTER INSERT ON series BEGIN
  UPDATE studies SET modalities = (
    SELECT group_concat(modality, '\') FROM (
      SELECT DISTINCT modality FROM series
      WHERE study_fk = NEW.study_fk AND modality IS NOT NULL ORDER BY modality))
  WHERE id = NEW.study_fk;
END;

CREATE TRIGGER modalities_series_removed AFTER DELETE ON series BEGIN
  UPDATE studies SET modalities = (
    SELECT group_concat(modality, '\') FROM (
      SELECT DISTINCT modality FROM series
      WHERE study_fk = OLD.study_fk AND modality IS NOT NULL ORDER BY modality))
  WHERE id = OLD.study_fk;
END;

CREATE TRIGGER modalities_series_changed AFTER UPDATE OF modality, study_fk ON series
WHEN OLD.modality IS NOT NEW.modality OR OLD.study_fk <> NEW.study_fk BEGIN
  UPDATE studies SET modalities = (
    SELECT group_concat(modality, '\') FROM (
      SELECT DISTINCT modality FROM series
      WHERE study_fk = studies.id AND modality IS NOT NULL ORDER BY modality))
  WHERE id IN (OLD.study_fk, NEW.study_fk);
END;
)sql";

int storedVersion(db::Connection& connection) {
  auto exists = connection.prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!exists.step()) return 0;
  auto version = connection.prepare("SELECT max(version) FROM schema_version");
  if (!version.step() || version.columnIsNull(0)) return 0;
  return static_cast<int>(version.columnInt64(0));
}

}  // namespace

void createOrCheckSchema(db::Connection& connection) {
  // IMMEDIATE: two processes opening a fresh index at once must not both create the schema.
  db::Transaction transaction(connection, db::Transaction::Mode::Immediate);
  const int version = storedVersion(connection);
  if (version == kSchemaVersion) return;  // nothing to write; the rollback is harmless
  if (version > kSchemaVersion) {
    throw Error(ErrorCode::Database, "index schema version " + std::to_string(version) +
                                         " is newer than this build understands (" +
                                         std::to_string(kSchemaVersion) +
                                         "); use a newer MedVQA or a fresh index");
  }
  if (version == 1) {
    connection.exec(kMigrateToVersion2);
    log::info("index: schema migrated from version 1 to 2 (AcquisitionDateTime is matched for instances received "
              "from now on)");
  } else {
    connection.exec(kTables);
    connection.exec(kIndexes);
    connection.exec(kCounterTriggers);
    connection.exec(kModalityTriggers);
  }
  auto insert = connection.prepare("INSERT INTO schema_version (version) VALUES (?1)");
  insert.bindInt64(1, kSchemaVersion).run();
  transaction.commit();
}

}  // namespace medvqa::index_detail
