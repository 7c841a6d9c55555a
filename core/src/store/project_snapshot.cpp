// SPDX-License-Identifier: Apache-2.0
#include "ea/core/project_snapshot.hpp"

#include <SQLiteCpp/Statement.h>

namespace ea::core {

ProjectSnapshot ProjectSnapshot::load(Store& store) {
  SQLite::Database& db = store.db();
  ProjectSnapshot snapshot;

  SQLite::Statement units(db,
                          "SELECT id, data_hash, title, path, kind, width, height, frame_count, "
                          "group_position FROM data_units ORDER BY title, id");
  while (units.executeStep()) {
    sdk::DataUnit unit;
    unit.data_hash = units.getColumn(1).getString();
    unit.title = units.getColumn(2).getString();
    unit.path = units.getColumn(3).getString();
    unit.kind =
        units.getColumn(4).getString() == "video" ? sdk::MediaKind::video : sdk::MediaKind::image;
    unit.width = static_cast<std::uint32_t>(units.getColumn(5).getInt64());
    unit.height = static_cast<std::uint32_t>(units.getColumn(6).getInt64());
    unit.frame_count = static_cast<std::uint32_t>(units.getColumn(7).getInt64());
    const std::size_t index = snapshot.units_.size();
    snapshot.unit_by_hash_.emplace(unit.data_hash, index);
    snapshot.unit_by_title_.emplace(unit.title, index);
    snapshot.unit_ids_.push_back(units.getColumn(0).getInt64());
    snapshot.group_positions_.push_back(
        units.getColumn(8).isNull() ? std::nullopt : std::optional(units.getColumn(8).getInt64()));
    snapshot.units_.push_back(std::move(unit));
  }

  SQLite::Statement objects(
      db, "SELECT id, feature_hash, name, shape, supercategory FROM ontology_objects ORDER BY id");
  while (objects.executeStep()) {
    sdk::OntologyObject object;
    object.feature_hash = objects.getColumn(1).getString();
    object.name = objects.getColumn(2).getString();
    object.shape =
        sdk::shape_from_string(objects.getColumn(3).getString()).value_or(sdk::Shape::bounding_box);
    object.supercategory = objects.getColumn(4).getString();
    snapshot.object_by_hash_.emplace(object.feature_hash, snapshot.objects_.size());
    snapshot.object_ids_.push_back(objects.getColumn(0).getInt64());
    snapshot.objects_.push_back(std::move(object));
  }

  SQLite::Statement options(db,
                            "SELECT c.id, c.feature_hash, c.attribute_hash, c.name, o.id, "
                            "o.option_hash, o.name FROM ontology_classifications c "
                            "LEFT JOIN classification_options o ON o.classification_id = c.id "
                            "ORDER BY c.id, o.id");
  std::int64_t current = -1;
  while (options.executeStep()) {
    if (options.getColumn(0).getInt64() != current) {
      current = options.getColumn(0).getInt64();
      snapshot.classifications_.push_back({options.getColumn(1).getString(),
                                           options.getColumn(2).getString(),
                                           options.getColumn(3).getString(),
                                           {}});
    }
    if (options.getColumn(4).isNull())
      continue;
    sdk::OntologyClassification& classification = snapshot.classifications_.back();
    classification.options.push_back(
        {options.getColumn(5).getString(), options.getColumn(6).getString()});
    snapshot.option_ids_.emplace(
        std::tuple{classification.feature_hash, classification.attribute_hash,
                   options.getColumn(5).getString()},
        options.getColumn(4).getInt64());
  }

  SQLite::Statement external(db, "SELECT space, external_id, hash, frame FROM external_ids");
  while (external.executeStep()) {
    std::optional<std::int64_t> frame;
    if (!external.getColumn(3).isNull())
      frame = external.getColumn(3).getInt64();
    snapshot.add_external_id(external.getColumn(0).getString(), external.getColumn(1).getString(),
                             external.getColumn(2).getString(), frame);
  }
  return snapshot;
}

void ProjectSnapshot::add_data_unit(sdk::DataUnit unit, std::int64_t row_id) {
  const std::size_t index = units_.size();
  unit_by_hash_.emplace(unit.data_hash, index);
  unit_by_title_.emplace(unit.title, index);
  unit_ids_.push_back(row_id);
  group_positions_.push_back(std::nullopt);
  units_.push_back(std::move(unit));
}

void ProjectSnapshot::add_object(sdk::OntologyObject object, std::int64_t row_id) {
  object_by_hash_.emplace(object.feature_hash, objects_.size());
  object_ids_.push_back(row_id);
  objects_.push_back(std::move(object));
}

void ProjectSnapshot::add_external_id(const std::string& space, const std::string& external_id,
                                      const std::string& hash, std::optional<std::int64_t> frame) {
  external_ids_.emplace(std::tuple{space, external_id}, std::pair{hash, frame});
  // The first id of a hash (and frame) names it when several map to the same one.
  external_ids_of_.emplace(std::tuple{space, hash, frame.value_or(-1)}, external_id);
}

const sdk::DataUnit* ProjectSnapshot::find_data_unit(std::string_view data_hash) const {
  const auto found = unit_by_hash_.find(data_hash);
  return found == unit_by_hash_.end() ? nullptr : &units_[found->second];
}

std::vector<const sdk::DataUnit*> ProjectSnapshot::find_data_units_by_title(
    std::string_view title) const {
  std::vector<const sdk::DataUnit*> found;
  const auto [first, last] = unit_by_title_.equal_range(title);
  for (auto it = first; it != last; ++it)
    found.push_back(&units_[it->second]);
  return found;
}

const sdk::OntologyObject* ProjectSnapshot::find_object(std::string_view feature_hash) const {
  const auto found = object_by_hash_.find(feature_hash);
  return found == object_by_hash_.end() ? nullptr : &objects_[found->second];
}

std::int64_t ProjectSnapshot::option_row_id(std::string_view feature_hash,
                                            std::string_view attribute_hash,
                                            std::string_view option_hash) const {
  const auto found = option_ids_.find(std::tuple{feature_hash, attribute_hash, option_hash});
  return found == option_ids_.end() ? 0 : found->second;
}

std::string_view ProjectSnapshot::find_external_id_of(std::string_view space, std::string_view hash,
                                                      std::optional<std::int64_t> frame) const {
  const auto found = external_ids_of_.find(std::tuple{space, hash, frame.value_or(-1)});
  return found == external_ids_of_.end() ? std::string_view{} : std::string_view(found->second);
}

std::optional<std::int64_t> ProjectSnapshot::find_external_frame(
    std::string_view space, std::string_view external_id) const {
  const auto found = external_ids_.find(std::tuple{space, external_id});
  return found == external_ids_.end() ? std::nullopt : found->second.second;
}

std::string_view ProjectSnapshot::find_external_id(std::string_view space,
                                                   std::string_view external_id) const {
  const auto found = external_ids_.find(std::tuple{space, external_id});
  return found == external_ids_.end() ? std::string_view{} : std::string_view(found->second.first);
}

}  // namespace ea::core
