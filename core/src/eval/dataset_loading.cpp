// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/dataset_loading.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "ea/core/failure.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::core::eval {

namespace {

// A COCO id stored as text, as a number for pycocotools' numeric ordering.
std::optional<std::int64_t> numeric_id(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

// Sort key: objects with a numeric COCO id first, by that id; the rest in store order.
struct OrderKey {
  bool has_coco_id = false;
  std::int64_t coco_id = 0;
  std::int64_t row_id = 0;
  bool operator<(const OrderKey& other) const {
    if (has_coco_id != other.has_coco_id)
      return has_coco_id;
    if (coco_id != other.coco_id)
      return coco_id < other.coco_id;
    return row_id < other.row_id;
  }
};

OrderKey order_key(const std::optional<std::string>& coco_id, std::int64_t row_id) {
  const std::optional<std::int64_t> number = coco_id ? numeric_id(*coco_id) : std::nullopt;
  return {number.has_value(), number.value_or(0), row_id};
}

sdk::Rle polygon_mask(std::string_view rings_json, std::uint32_t height, std::uint32_t width) {
  const nlohmann::json rings = nlohmann::json::parse(rings_json);
  std::vector<sdk::Rle> parts;
  std::vector<double> xy;
  for (const auto& ring : rings) {
    xy = ring.get<std::vector<double>>();
    parts.push_back(sdk::rle_from_polygon(xy, height, width));
  }
  // pycocotools' annToRLE merges the parts of a polygon into one mask.
  return parts.size() == 1 ? std::move(parts.front()) : sdk::rle_merge(parts);
}

}  // namespace

DatasetBuilder::DatasetBuilder(Store& store, IouType type) : type_(type) {
  SQLite::Database& db = store.db();
  struct Unit {
    OrderKey key;
    std::int64_t id;
    std::uint32_t width, height, frames;
  };
  std::vector<Unit> units;
  SQLite::Statement unit_query(
      db,
      "SELECT u.id, u.width, u.height, u.frame_count, "
      "(SELECT e.external_id FROM external_ids e WHERE e.space = 'coco.image' "
      " AND e.target = 'data_unit' AND e.hash = u.data_hash LIMIT 1) FROM data_units u");
  while (unit_query.executeStep()) {
    std::optional<std::string> coco_id;
    if (!unit_query.getColumn(4).isNull())
      coco_id = unit_query.getColumn(4).getString();
    const std::int64_t id = unit_query.getColumn(0).getInt64();
    units.push_back({order_key(coco_id, id), id,
                     static_cast<std::uint32_t>(unit_query.getColumn(1).getInt64()),
                     static_cast<std::uint32_t>(unit_query.getColumn(2).getInt64()),
                     static_cast<std::uint32_t>(unit_query.getColumn(3).getInt64())});
  }
  std::sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) { return a.key < b.key; });
  for (const Unit& unit : units) {
    first_image_of_unit_[unit.id] = dataset_.images.size();
    for (std::uint32_t frame = 0; frame < unit.frames; ++frame)
      dataset_.images.push_back({unit.id, frame, unit.width, unit.height});
  }

  struct Category {
    OrderKey key;
    EvalCategory category;
  };
  std::vector<Category> categories;
  SQLite::Statement object_query(
      db,
      "SELECT o.id, o.name, o.feature_hash, "
      "(SELECT e.external_id FROM external_ids e WHERE e.space = 'coco.category' "
      " AND e.target = 'ontology_object' AND e.hash = o.feature_hash LIMIT 1) "
      "FROM ontology_objects o");
  while (object_query.executeStep()) {
    std::optional<std::string> coco_id;
    if (!object_query.getColumn(3).isNull())
      coco_id = object_query.getColumn(3).getString();
    const std::int64_t id = object_query.getColumn(0).getInt64();
    const OrderKey key = order_key(coco_id, id);
    categories.push_back(
        {key,
         {id, object_query.getColumn(1).getString(), object_query.getColumn(2).getString(),
          key.has_coco_id ? key.coco_id : 0}});
  }
  std::sort(categories.begin(), categories.end(),
            [](const Category& a, const Category& b) { return a.key < b.key; });
  for (Category& category : categories) {
    if (category.category.coco_id == 0 && !category.key.has_coco_id)
      category.category.coco_id = static_cast<std::int64_t>(dataset_.categories.size()) + 1;
    category_of_object_[category.category.object_id] =
        static_cast<std::uint32_t>(dataset_.categories.size());
    dataset_.categories.push_back(std::move(category.category));
  }
}

EvalObject DatasetBuilder::to_object(const StoredObject& stored) {
  const auto unit = first_image_of_unit_.find(stored.data_unit_id);
  const auto category = category_of_object_.find(stored.object_id);
  if (unit == first_image_of_unit_.end() || category == category_of_object_.end())
    throw Failure("the store refers to a data unit or class it does not hold; it is damaged.");
  EvalObject object;
  object.image = static_cast<std::uint32_t>(unit->second + static_cast<std::size_t>(stored.frame));
  object.category = category->second;
  object.box = stored.box;
  object.score = stored.score;
  object.crowd = stored.crowd;
  object.ignore = stored.ignore;
  object.source_id = stored.source_id.value_or(stored.id);
  object.key = stored.id;
  const EvalImage& image = dataset_.images[object.image];
  const bool is_box = stored.kind == "bounding_box";
  // A mask is needed to compare masks, and for the area of a mask or polygon (pycocotools' loadRes
  // takes a segmentation result's area from its mask).
  const bool needs_mask = type_ == IouType::segm || (!is_box && !stored.area);
  if (!needs_mask) {
    object.area = stored.area.value_or(stored.box.w * stored.box.h);
    return object;
  }
  sdk::Rle mask;
  if (is_box) {
    mask = sdk::rle_from_box(stored.box, image.height, image.width);
  } else if (stored.kind == "polygon") {
    mask = polygon_mask(stored.geometry, image.height, image.width);
  } else {
    auto decoded = sdk::rle_from_string(stored.geometry, image.height, image.width);
    if (!decoded)
      throw Failure("a stored mask (row " + std::to_string(stored.id) + ") is damaged.");
    mask = std::move(*decoded);
  }
  object.area = stored.area.value_or(is_box ? stored.box.w * stored.box.h
                                            : static_cast<double>(sdk::rle_area(mask)));
  if (type_ == IouType::segm) {
    object.mask = static_cast<std::uint32_t>(dataset_.masks.size());
    dataset_.masks.push_back(std::move(mask));
  }
  return object;
}

void DatasetBuilder::add_labels(Store& store) {
  SQLite::Statement query(store.db(),
                          "SELECT id, data_unit_id, frame, kind, object_id, x, y, w, h, geometry, "
                          "area, is_crowd, ignore, source_id FROM labels "
                          "WHERE object_id IS NOT NULL ORDER BY id");
  while (query.executeStep()) {
    StoredObject label;
    label.id = query.getColumn(0).getInt64();
    label.data_unit_id = query.getColumn(1).getInt64();
    label.frame = query.getColumn(2).getInt64();
    const std::string kind = query.getColumn(3).getString();
    label.kind = kind;
    label.object_id = query.getColumn(4).getInt64();
    label.box = {query.getColumn(5).getDouble(), query.getColumn(6).getDouble(),
                 query.getColumn(7).getDouble(), query.getColumn(8).getDouble(), 0};
    const std::string geometry =
        query.getColumn(9).isNull() ? std::string() : query.getColumn(9).getString();
    label.geometry = geometry;
    if (!query.getColumn(10).isNull())
      label.area = query.getColumn(10).getDouble();
    label.crowd = query.getColumn(11).getInt() != 0;
    label.ignore = query.getColumn(12).getInt() != 0;
    if (!query.getColumn(13).isNull())
      label.source_id = query.getColumn(13).getInt64();
    dataset_.truths.push_back(to_object(label));
  }
}

void DatasetBuilder::add_predictions(Store& store, std::int64_t first, std::int64_t last) {
  SQLite::Statement query(
      store.db(),
      "SELECT id, data_unit_id, frame, kind, object_id, confidence, x, y, w, h, "
      "geometry, area FROM predictions WHERE id BETWEEN ? AND ? "
      "AND object_id IS NOT NULL ORDER BY id");
  query.bind(1, first);
  query.bind(2, last);
  while (query.executeStep()) {
    StoredObject prediction;
    prediction.id = query.getColumn(0).getInt64();
    prediction.data_unit_id = query.getColumn(1).getInt64();
    prediction.frame = query.getColumn(2).getInt64();
    const char* kind = query.getColumn(3).getText();
    prediction.kind = kind;
    prediction.object_id = query.getColumn(4).getInt64();
    prediction.score = query.getColumn(5).getDouble();
    prediction.box = {query.getColumn(6).getDouble(), query.getColumn(7).getDouble(),
                      query.getColumn(8).getDouble(), query.getColumn(9).getDouble(), 0};
    const SQLite::Column geometry = query.getColumn(10);
    if (!geometry.isNull())
      prediction.geometry =
          std::string_view(geometry.getText(), static_cast<std::size_t>(geometry.getBytes()));
    if (!query.getColumn(11).isNull())
      prediction.area = query.getColumn(11).getDouble();
    dataset_.detections.push_back(to_object(prediction));
  }
}

void DatasetBuilder::add_prediction(const StoredObject& prediction) {
  dataset_.detections.push_back(to_object(prediction));
}

}  // namespace ea::core::eval
