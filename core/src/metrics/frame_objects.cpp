// SPDX-License-Identifier: Apache-2.0
#include "frame_objects.hpp"

#include <future>
#include <map>
#include <string_view>
#include <unordered_map>

#include <SQLiteCpp/Statement.h>

#include "ea/core/prepared_statement.hpp"

namespace ea::core::metrics {

namespace {

// Row ids of the snapshot's data units and objects to their positions.
struct RowIndex {
  std::unordered_map<std::int64_t, std::size_t> units;
  std::unordered_map<std::int64_t, std::size_t> objects;

  explicit RowIndex(const ProjectSnapshot& snapshot) {
    for (std::size_t i = 0; i < snapshot.data_units().size(); ++i)
      units.emplace(snapshot.row_id(snapshot.data_units()[i]), i);
    for (std::size_t i = 0; i < snapshot.objects().size(); ++i)
      objects.emplace(snapshot.row_id(snapshot.objects()[i]), i);
  }
};

char kind_code(std::string_view kind) {
  return kind == "polygon" ? 'p' : kind == "mask" ? 'm' : 'b';
}

std::string_view text(sqlite3_stmt* row, int column) {
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(row, column));
  return bytes == nullptr
             ? std::string_view()
             : std::string_view(bytes, static_cast<std::size_t>(sqlite3_column_bytes(row, column)));
}

// Objects read from the store, with the data unit (snapshot index) and frame of each.
struct ObjectRows {
  std::vector<std::size_t> units;
  std::vector<std::int64_t> frames;
  std::vector<StoredObject> objects;
};

// Reads the rows of `sql` (columns: id, data_unit_id, frame, kind, object_id, confidence, x, y, w,
// h, theta, geometry, crowd; parameters ?1 and ?2 bound to `first` and `last` when it has them)
// on the plain C API: half a million rows are read here before any frame is scored.
ObjectRows read_objects(SQLite::Database& db, const char* sql, const RowIndex& index,
                        std::int64_t first = 0, std::int64_t last = -1) {
  PreparedStatement query(db, sql);
  sqlite3_stmt* const row = query.handle();
  if (sqlite3_bind_parameter_count(row) == 2) {
    sqlite3_bind_int64(row, 1, first);
    sqlite3_bind_int64(row, 2, last);
  }
  ObjectRows rows;
  while (query.step()) {
    StoredObject object;
    object.id = sqlite3_column_int64(row, 0);
    rows.units.push_back(index.units.at(sqlite3_column_int64(row, 1)));
    rows.frames.push_back(sqlite3_column_int64(row, 2));
    object.kind = kind_code(text(row, 3));
    object.object = index.objects.at(sqlite3_column_int64(row, 4));
    object.confidence = sqlite3_column_double(row, 5);
    object.box = sdk::BoundingBox{sqlite3_column_double(row, 6), sqlite3_column_double(row, 7),
                                  sqlite3_column_double(row, 8), sqlite3_column_double(row, 9),
                                  sqlite3_column_double(row, 10)};
    object.geometry = text(row, 11);
    object.crowd = sqlite3_column_int(row, 12) != 0;
    rows.objects.push_back(std::move(object));
  }
  return rows;
}

// The first id of a set's second half.
std::int64_t middle(const SetRange& set) {
  return set.first + (set.last - set.first + 1) / 2;
}

constexpr const char* kLabels =
    "SELECT id, data_unit_id, frame, kind, object_id, 1.0, x, y, w, h, coalesce(theta, 0), "
    "geometry, is_crowd FROM labels WHERE object_id IS NOT NULL ORDER BY id";
constexpr const char* kPredictions =
    "SELECT id, data_unit_id, frame, kind, object_id, confidence, x, y, w, h, coalesce(theta, 0), "
    "geometry, 0 FROM predictions WHERE id BETWEEN ?1 AND ?2 AND object_id IS NOT NULL ORDER BY "
    "id";

}  // namespace

std::vector<SetRange> sets_to_score(Store& store, const std::optional<std::string>& name) {
  if (name)
    return {eval::find_set(store, *name)};
  std::vector<SetRange> sets;
  SQLite::Statement query(store.db(), "SELECT name FROM prediction_sets ORDER BY id");
  while (query.executeStep())
    sets.push_back(eval::find_set(store, query.getColumn(0).getString()));
  return sets;
}

std::vector<UnitWork> load_frames(Store& store, const ProjectSnapshot& snapshot,
                                  const std::vector<SetRange>& sets, bool with_labels,
                                  bool every_image) {
  const RowIndex index(snapshot);
  // The labels and the first half of each set on a second connection (WAL lets readers share),
  // the other halves on the store's: decoding the rows is most of the reading.
  const std::string file = store.db().getFilename();
  auto early = std::async(std::launch::async, [&] {
    SQLite::Database db(file, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
    std::vector<ObjectRows> parts;
    if (with_labels)
      parts.push_back(read_objects(db, kLabels, index));
    for (const SetRange& set : sets)
      parts.push_back(read_objects(db, kPredictions, index, set.first, middle(set) - 1));
    return parts;
  });
  std::vector<ObjectRows> late;
  for (const SetRange& set : sets)
    late.push_back(read_objects(store.db(), kPredictions, index, middle(set), set.last));
  std::vector<ObjectRows> parts = early.get();

  // Each unit's frames: most units are images of one frame, so a lookup costs next to nothing.
  std::vector<std::map<std::int64_t, FrameWork>> frames(snapshot.data_units().size());
  const auto frame_of = [&](std::size_t unit, std::int64_t frame) -> FrameWork& {
    FrameWork& work = frames[unit][frame];
    work.frame = frame;
    return work;
  };
  // Into the frames in id order: the labels, then each set's early half and its late half.
  const auto place = [&](ObjectRows& rows, const SetRange* set) {
    for (std::size_t i = 0; i < rows.objects.size(); ++i) {
      FrameWork& work = frame_of(rows.units[i], rows.frames[i]);
      if (set == nullptr) {
        work.labels.push_back(std::move(rows.objects[i]));
        continue;
      }
      if (work.sets.empty() || work.sets.back().set_id != set->id)
        work.sets.push_back(SetObjects{set->id, {}});
      work.sets.back().objects.push_back(std::move(rows.objects[i]));
    }
  };
  std::size_t next = 0;
  if (with_labels)
    place(parts[next++], nullptr);
  for (std::size_t i = 0; i < sets.size(); ++i) {
    place(parts[next++], &sets[i]);
    place(late[i], &sets[i]);
  }
  if (every_image) {
    for (std::size_t unit = 0; unit < snapshot.data_units().size(); ++unit) {
      if (snapshot.data_units()[unit].kind == sdk::MediaKind::image)
        frame_of(unit, 0);
    }
  }
  std::vector<UnitWork> units;
  for (std::size_t unit = 0; unit < frames.size(); ++unit) {
    if (frames[unit].empty())
      continue;
    units.push_back(UnitWork{unit, {}});
    units.back().frames.reserve(frames[unit].size());
    for (auto& [frame, work] : frames[unit])
      units.back().frames.push_back(std::move(work));
  }
  return units;
}

}  // namespace ea::core::metrics
