// SPDX-License-Identifier: Apache-2.0
#include "frame_objects.hpp"

#include <map>
#include <unordered_map>

#include <SQLiteCpp/Statement.h>

namespace ea::core::metrics {

namespace {

using FrameKey = std::pair<std::size_t, std::int64_t>;  // unit index, frame

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

char kind_code(const std::string& kind) {
  return kind == "polygon" ? 'p' : kind == "mask" ? 'm' : 'b';
}

// Columns: id, data_unit_id, frame, kind, object_id, confidence, x, y, w, h, theta, geometry,
// crowd.
template <class Add>
void read_objects(SQLite::Statement& query, const RowIndex& index, Add add) {
  while (query.executeStep()) {
    StoredObject object;
    object.id = query.getColumn(0).getInt64();
    const std::size_t unit = index.units.at(query.getColumn(1).getInt64());
    const std::int64_t frame = query.getColumn(2).getInt64();
    object.kind = kind_code(query.getColumn(3).getString());
    object.object = index.objects.at(query.getColumn(4).getInt64());
    object.confidence = query.getColumn(5).getDouble();
    object.box = sdk::BoundingBox{query.getColumn(6).getDouble(), query.getColumn(7).getDouble(),
                                  query.getColumn(8).getDouble(), query.getColumn(9).getDouble(),
                                  query.getColumn(10).getDouble()};
    if (!query.getColumn(11).isNull())
      object.geometry = query.getColumn(11).getString();
    object.crowd = query.getColumn(12).getInt() != 0;
    add(FrameKey{unit, frame}, std::move(object));
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
  std::map<FrameKey, FrameWork> frames;
  const auto frame_of = [&](const FrameKey& key) -> FrameWork& {
    FrameWork& work = frames[key];
    work.frame = key.second;
    return work;
  };
  if (with_labels) {
    SQLite::Statement labels(store.db(),
                             "SELECT id, data_unit_id, frame, kind, object_id, 1.0, x, y, w, h, "
                             "coalesce(theta, 0), geometry, is_crowd FROM labels WHERE object_id "
                             "IS NOT NULL ORDER BY id");
    read_objects(labels, index, [&](const FrameKey& key, StoredObject object) {
      frame_of(key).labels.push_back(std::move(object));
    });
  }
  for (const SetRange& set : sets) {
    SQLite::Statement predictions(
        store.db(),
        "SELECT id, data_unit_id, frame, kind, object_id, confidence, x, y, w, h, "
        "coalesce(theta, 0), geometry, 0 FROM predictions WHERE id BETWEEN ? AND ? AND "
        "object_id IS NOT NULL ORDER BY id");
    predictions.bind(1, set.first);
    predictions.bind(2, set.last);
    read_objects(predictions, index, [&](const FrameKey& key, StoredObject object) {
      FrameWork& work = frame_of(key);
      if (work.sets.empty() || work.sets.back().set_id != set.id)
        work.sets.push_back(SetObjects{set.id, {}});
      work.sets.back().objects.push_back(std::move(object));
    });
  }
  if (every_image) {
    for (std::size_t unit = 0; unit < snapshot.data_units().size(); ++unit) {
      if (snapshot.data_units()[unit].kind == sdk::MediaKind::image)
        frame_of(FrameKey{unit, 0});
    }
  }
  std::vector<UnitWork> units;
  for (auto& [key, work] : frames) {
    if (units.empty() || units.back().unit != key.first)
      units.push_back(UnitWork{key.first, {}});
    units.back().frames.push_back(std::move(work));
  }
  return units;
}

}  // namespace ea::core::metrics
