// SPDX-License-Identifier: Apache-2.0
#include "ea/core/store.hpp"

#include <array>
#include <string>

#include <SQLiteCpp/Transaction.h>

#include "ea/core/failure.hpp"
#include "ea/core/metric_columns.hpp"

namespace ea::core {

namespace {

// Migration N leads a store from version N-1 to N. Never edit a released migration: add one.
// CHECK constraints on hot tables compare with OR, never `IN (list)`: SQLite builds an ephemeral
// table for an IN list on every row checked, which made bulk inserts four times slower.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // 1: data units, ontology, external ids, labels, prediction sets and predictions.
    R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (0);

CREATE TABLE data_units (
  id          INTEGER PRIMARY KEY,
  data_hash   TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  path        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('image', 'video')),
  width       INTEGER NOT NULL CHECK (width > 0),
  height      INTEGER NOT NULL CHECK (height > 0),
  frame_count INTEGER NOT NULL CHECK (frame_count > 0)
);
CREATE INDEX data_units_by_title ON data_units (title);

CREATE TABLE ontology_objects (
  id           INTEGER PRIMARY KEY,
  feature_hash TEXT NOT NULL UNIQUE,
  name         TEXT NOT NULL,
  shape        TEXT NOT NULL
    CHECK (shape IN ('bounding_box', 'rotatable_bounding_box', 'polygon', 'bitmask')),
  supercategory TEXT NOT NULL DEFAULT '',
  UNIQUE (name, shape)
);

CREATE TABLE ontology_classifications (
  id             INTEGER PRIMARY KEY,
  feature_hash   TEXT NOT NULL UNIQUE,
  attribute_hash TEXT NOT NULL,
  name           TEXT NOT NULL
);

CREATE TABLE classification_options (
  id                INTEGER PRIMARY KEY,
  classification_id INTEGER NOT NULL REFERENCES ontology_classifications (id) ON DELETE CASCADE,
  option_hash       TEXT NOT NULL,
  name              TEXT NOT NULL,
  UNIQUE (classification_id, option_hash)
);

CREATE TABLE external_ids (
  space       TEXT NOT NULL,
  external_id TEXT NOT NULL,
  target      TEXT NOT NULL CHECK (target IN ('data_unit', 'ontology_object')),
  hash        TEXT NOT NULL,
  PRIMARY KEY (space, external_id)
) WITHOUT ROWID;

-- Geometry is in pixels as doubles. x, y, w, h is the box of every object kind (the tight box of
-- a polygon or mask); `geometry` holds polygon rings as JSON [[x,y,x,y,...],...] or a mask as a
-- COCO compressed RLE string at the data unit's size.
CREATE TABLE labels (
  id           INTEGER PRIMARY KEY,
  data_unit_id INTEGER NOT NULL REFERENCES data_units (id) ON DELETE CASCADE,
  frame        INTEGER NOT NULL CHECK (frame >= 0),
  kind         TEXT NOT NULL CHECK (kind = 'bounding_box' OR kind = 'polygon' OR kind = 'mask' OR kind = 'classification'),
  object_id    INTEGER REFERENCES ontology_objects (id),
  option_id    INTEGER REFERENCES classification_options (id),
  x REAL, y REAL, w REAL, h REAL, theta REAL,
  geometry     TEXT,
  area         REAL,
  is_crowd     INTEGER NOT NULL DEFAULT 0,
  ignore       INTEGER NOT NULL DEFAULT 0,
  track_id     TEXT,
  source_id    INTEGER,  -- the source's own id (COCO annotation id)
  CHECK ((object_id IS NULL) <> (option_id IS NULL))
);
CREATE INDEX labels_by_frame ON labels (data_unit_id, frame);

-- A set's predictions have the dense ids first_prediction_id .. last_prediction_id: each set is
-- written in one transaction with ids assigned in order, so `id BETWEEN first AND last` selects
-- a set through the primary key and predictions need no secondary index (which cost a fifth of
-- the bulk-insert time). predictions.set_id repeats the owner for plain SQL queries. Ids are never
-- reused (AUTOINCREMENT keeps the high-water mark), so an id always names the same prediction.
CREATE TABLE prediction_sets (
  id                  INTEGER PRIMARY KEY,
  name                TEXT NOT NULL UNIQUE,
  format              TEXT NOT NULL,
  source_path         TEXT NOT NULL,
  source_sha256       TEXT NOT NULL,
  options             TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  skipped             INTEGER NOT NULL DEFAULT 0,
  first_prediction_id INTEGER,
  last_prediction_id  INTEGER
);

CREATE TABLE predictions (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so stored results stay true
  set_id        INTEGER NOT NULL,
  data_unit_id  INTEGER NOT NULL REFERENCES data_units (id),
  frame         INTEGER NOT NULL CHECK (frame >= 0),
  kind          TEXT NOT NULL CHECK (kind = 'bounding_box' OR kind = 'polygon' OR kind = 'mask' OR kind = 'classification'),
  object_id     INTEGER REFERENCES ontology_objects (id),
  option_id     INTEGER REFERENCES classification_options (id),
  confidence    REAL NOT NULL CHECK (confidence >= 0),
  x REAL, y REAL, w REAL, h REAL, theta REAL,
  geometry      TEXT,
  track_id      TEXT,
  source_record INTEGER NOT NULL,
  CHECK ((object_id IS NULL) <> (option_id IS NULL))
);
)sql",
    // 2: the area a source's box implies for a mask prediction, and stored evaluations.
    R"sql(
ALTER TABLE predictions ADD COLUMN area REAL;

-- One row per `ea evaluate` run: parameters and every number (stats, per class, PR curves) as
-- JSON. Re-running with the same set, IoU type and parameters replaces the earlier run.
CREATE TABLE evaluations (
  id         INTEGER PRIMARY KEY,
  set_id     INTEGER NOT NULL REFERENCES prediction_sets (id),
  protocol   TEXT NOT NULL,
  iou_type   TEXT NOT NULL,
  params     TEXT NOT NULL,
  results    TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX evaluations_by_set ON evaluations (set_id);

-- The IoU threshold of each bit of the masks below.
CREATE TABLE evaluation_thresholds (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations (id),
  bit           INTEGER NOT NULL,
  iou           REAL NOT NULL,
  PRIMARY KEY (evaluation_id, bit)
) WITHOUT ROWID;

-- Per prediction, at the first IoU threshold (area all, the largest maxDets): outcome is
-- 'tp', 'fp', 'ignored' (matched a crowd region) or 'not_evaluated' (beyond maxDets, below
-- --min-score); fp_reason is 'no_label', 'low_iou', 'taken' or 'id_zero'. Bit t of tp_mask is set
-- when the prediction is a true positive at threshold t, of ignored_mask when it matched a crowd
-- region there (neither true nor false positive). Rows are appended in prediction order without
-- a key: an index would cost more to build per evaluation than scanning the table costs a query.
CREATE TABLE prediction_matches (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations (id),
  prediction_id INTEGER NOT NULL,
  label_id      INTEGER,
  iou           REAL,
  tp_mask       INTEGER NOT NULL,
  ignored_mask  INTEGER NOT NULL,
  outcome       TEXT NOT NULL,
  fp_reason     TEXT
);

-- Per object label: matched_mask has bit t set when a prediction matched it at threshold t;
-- ignored labels (crowd regions) are never misses.
CREATE TABLE label_matches (
  evaluation_id INTEGER NOT NULL REFERENCES evaluations (id),
  label_id      INTEGER NOT NULL,
  matched_mask  INTEGER NOT NULL,
  ignored       INTEGER NOT NULL
);
)sql",
    // 3: external ids naming one frame of a video (COCO images "<video>__<frame>"), and image
    // groups (`ea init --groups`): each image of a group stays its own data unit.
    R"sql(
ALTER TABLE external_ids ADD COLUMN frame INTEGER CHECK (frame >= 0);

CREATE TABLE image_groups (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
ALTER TABLE data_units ADD COLUMN group_id INTEGER REFERENCES image_groups (id);
-- The image's place in its group (Encord's data_sequence), from 0.
ALTER TABLE data_units ADD COLUMN group_position INTEGER;
)sql",
    // 4: numbers a source gives beside an object's geometry (KITTI's truncation, occlusion,
    // alpha, 3D box), as a JSON object {name: value}; NULL when there are none.
    R"sql(
ALTER TABLE labels ADD COLUMN attributes TEXT;
ALTER TABLE predictions ADD COLUMN attributes TEXT;
)sql",
    // 5: metric values (`ea metrics run`): per prediction, per label, and per frame. A frame's
    // values are the ground truth's and the image's (set_id 0) or a prediction set's.
    R"sql(
CREATE TABLE prediction_metrics (
  prediction_id INTEGER NOT NULL,
  metric        TEXT NOT NULL,
  value         REAL NOT NULL,
  PRIMARY KEY (prediction_id, metric)
) WITHOUT ROWID;
CREATE TABLE label_metrics (
  label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
  metric   TEXT NOT NULL,
  value    REAL NOT NULL,
  PRIMARY KEY (label_id, metric)
) WITHOUT ROWID;
CREATE TABLE frame_metrics (
  data_unit_id INTEGER NOT NULL REFERENCES data_units (id) ON DELETE CASCADE,
  frame        INTEGER NOT NULL,
  set_id       INTEGER NOT NULL,
  metric       TEXT NOT NULL,
  value        REAL NOT NULL,
  PRIMARY KEY (set_id, data_unit_id, frame, metric)
) WITHOUT ROWID;
)sql",
    // 6: a set's classification predictions found without reading its objects (`ea evaluate`
    // asks whether a set holds any). Partial: rows of objects are not in it and cost nothing.
    R"sql(
CREATE INDEX predictions_classified ON predictions (id) WHERE option_id IS NOT NULL;
)sql",
    // 7: metric values in one row per object or frame, one REAL column per metric (named by its
    // id in metric_names, added by the first run of the metric), which writes a run's values
    // four times faster than a row per value; the tables of version 5 become views of one value
    // per row by name. The values move in move_metric_values_to_columns (metric_columns.cpp).
    R"sql(
CREATE TABLE metric_names (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE prediction_metric_values (
  prediction_id INTEGER PRIMARY KEY
);
CREATE TABLE label_metric_values (
  label_id INTEGER PRIMARY KEY REFERENCES labels (id) ON DELETE CASCADE
);
CREATE TABLE frame_metric_values (
  set_id       INTEGER NOT NULL,
  data_unit_id INTEGER NOT NULL REFERENCES data_units (id) ON DELETE CASCADE,
  frame        INTEGER NOT NULL,
  PRIMARY KEY (set_id, data_unit_id, frame)
);
)sql",
};

int read_version(SQLite::Database& db) {
  if (!db.tableExists("schema_version"))
    return 0;
  return db.execAndGet("SELECT version FROM schema_version").getInt();
}

void configure(SQLite::Database& db) {
  db.exec("PRAGMA journal_mode = WAL");
  // NORMAL in WAL mode keeps the store consistent after a crash; only the last commit may be
  // lost on power failure, never half of one.
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA cache_size = -32768");  // 32 MiB: large imports stay within bounded memory
  db.setBusyTimeout(5000);
}

void migrate(SQLite::Database& db, const std::string& file) {
  const int version = read_version(db);
  if (version > kSchemaVersion) {
    throw Failure("the store " + file + " has layout version " + std::to_string(version) +
                  ", newer than this ea understands (" + std::to_string(kSchemaVersion) +
                  "); use a newer ea.");
  }
  if (version == kSchemaVersion)
    return;
  SQLite::Transaction transaction(db);
  for (int next = version + 1; next <= kSchemaVersion; ++next) {
    db.exec(kMigrations[static_cast<std::size_t>(next - 1)]);
    if (next == 7)
      move_metric_values_to_columns(db);
    db.exec("UPDATE schema_version SET version = " + std::to_string(next));
  }
  transaction.commit();
}

}  // namespace

Store Store::create(const std::filesystem::path& file) {
  if (std::filesystem::exists(file)) {
    throw Failure("cannot create the store " + file.string() + ": the file already exists.");
  }
  auto db = std::make_unique<SQLite::Database>(
      file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
  // Larger pages: fewer B-tree splits and page headers per row for bulk inserts.
  db->exec("PRAGMA page_size = 16384");
  configure(*db);
  migrate(*db, file.string());
  return Store(std::move(db));
}

Store Store::in_memory() {
  auto db = std::make_unique<SQLite::Database>(
      ":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
  // Everything written here was validated against the snapshot; nothing outlives the process.
  migrate(*db, ":memory:");
  return Store(std::move(db));
}

Store Store::open(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file)) {
    throw Failure("the project store " + file.string() + " is missing.");
  }
  try {
    auto db = std::make_unique<SQLite::Database>(file.string(),
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    configure(*db);
    migrate(*db, file.string());
    return Store(std::move(db));
  } catch (const SQLite::Exception& error) {
    throw Failure("cannot open the project store " + file.string() + ": " + error.what() + ".");
  }
}

int Store::schema_version() {
  return read_version(*db_);
}

}  // namespace ea::core
