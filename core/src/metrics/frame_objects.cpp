// SPDX-License-Identifier: Apache-2.0
#include "frame_objects.hpp"

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

// Columns: id, data_unit_id, frame, kind, object_id, confidence, x, y, w, h, theta, geometry,
// crowd. On the plain C API: half a million rows are read here before any frame is scored.
template <class Add>
void read_objects(PreparedStatement& query, const RowIndex& index, Add add) {
  sqlite3_stmt* const row = query.handle();
  while (query.step()) {
    StoredObject object;
    object.id = sqlite3_column_int64(row, 0);
    const std::size_t unit = index.units.at(sqlite3_column_int64(row, 1));
    const std::int64_t frame = sqlite3_column_int64(row, 2);
    object.kind = kind_code(text(row, 3));
    object.object = index.objects.at(sqlite3_column_int64(row, 4));
    object.confidence = sqlite3_column_double(row, 5);
    object.box = sdk::BoundingBox{sqlite3_column_double(row, 6), sqlite3_column_double(row, 7),
                                  sqlite3_column_double(row, 8), sqlite3_column_double(row, 9),
                                  sqlite3_column_double(row, 10)};
    object.geometry = text(row, 11);
    object.crowd = sqlite3_column_int(row, 12) != 0;
    add(unit, frame, std::move(object));
  }
}

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
  // Each unit's frames: most units are images of one frame, so a lookup costs next to nothing.
  std::vector<std::map<std::int64_t, FrameWork>> frames(snapshot.data_units().size());
  const auto frame_of = [&](std::size_t unit, std::int64_t frame) -> FrameWork& {
    FrameWork& work = frames[unit][frame];
    work.frame = frame;
    return work;
  };
  if (with_labels) {
    PreparedStatement labels(store.db(),
                             "SELECT id, data_unit_id, frame, kind, object_id, 1.0, x, y, w, h, "
                             "coalesce(theta, 0), geometry, is_crowd FROM labels WHERE object_id "
                             "IS NOT NULL ORDER BY id");
    read_objects(labels, index, [&](std::size_t unit, std::int64_t frame, StoredObject object) {
      frame_of(unit, frame).labels.push_back(std::move(object));
    });
  }
  for (const SetRange& set : sets) {
    PreparedStatement predictions(
        store.db(),
        "SELECT id, data_unit_id, frame, kind, object_id, confidence, x, y, w, h, "
        "coalesce(theta, 0), geometry, 0 FROM predictions WHERE id BETWEEN ?1 AND ?2 AND "
        "object_id IS NOT NULL ORDER BY id");
    sqlite3_bind_int64(predictions.handle(), 1, set.first);
    sqlite3_bind_int64(predictions.handle(), 2, set.last);
    read_objects(predictions, index,
                 [&](std::size_t unit, std::int64_t frame, StoredObject object) {
                   FrameWork& work = frame_of(unit, frame);
                   if (work.sets.empty() || work.sets.back().set_id != set.id)
                     work.sets.push_back(SetObjects{set.id, {}});
                   work.sets.back().objects.push_back(std::move(object));
                 });
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
