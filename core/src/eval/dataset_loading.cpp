// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/dataset_loading.hpp"

#include <algorithm>
#include <charconv>
#include <future>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "../store/row_reader.hpp"
#include "ea/core/failure.hpp"
#include "ea/core/stored_polygon.hpp"
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

// The COCO ids of one space ("coco.image", "coco.category") by the hash they map to.
std::unordered_map<std::string, std::string> coco_ids(SQLite::Database& db, const char* space) {
  std::unordered_map<std::string, std::string> ids;
  SQLite::Statement query(db, "SELECT hash, external_id FROM external_ids WHERE space = ?");
  query.bind(1, space);
  while (query.executeStep())
    ids.emplace(query.getColumn(0).getString(), query.getColumn(1).getString());
  return ids;
}

std::optional<std::string> find_id(const std::unordered_map<std::string, std::string>& ids,
                                   const std::string& hash) {
  const auto found = ids.find(hash);
  return found == ids.end() ? std::nullopt : std::optional<std::string>(found->second);
}

// Lets SQLite read `db`'s pages straight from a mapping of the file instead of copying each into
// its page cache: reading a set of masks then costs a fifth fewer page faults and no pread copies.
void read_mapped(SQLite::Database& db) {
  db.exec("PRAGMA mmap_size = 1073741824");
}

Failure damaged_mask(const StoredObject& stored) {
  return Failure("a stored mask (row " + std::to_string(stored.id) + ") is damaged.");
}

// The mask of a stored object: given, its box's, its polygon's or its decoded RLE.
sdk::Rle stored_mask(const StoredObject& stored, const EvalImage& image) {
  if (stored.mask != nullptr)
    return std::move(*stored.mask);
  if (stored.kind == "bounding_box")
    return sdk::rle_from_box(stored.box, image.height, image.width);
  if (stored.kind == "polygon") {
    return polygon_mask(parse_stored_polygon(stored.geometry, stored.id), image.height,
                        image.width);
  }
  auto decoded = sdk::rle_from_string(stored.geometry, image.height, image.width);
  if (!decoded)
    throw damaged_mask(stored);
  return std::move(*decoded);
}

}  // namespace

DatasetBuilder::DatasetBuilder(Store& store, IouType type) : type_(type) {
  SQLite::Database& db = store.db();
  const auto image_ids = coco_ids(db, "coco.image");
  const auto category_ids = coco_ids(db, "coco.category");
  struct Unit {
    OrderKey key;
    std::int64_t id;
    std::uint32_t width, height, frames;
  };
  std::vector<Unit> units;
  SQLite::Statement unit_query(db,
                               "SELECT id, width, height, frame_count, data_hash FROM data_units");
  while (unit_query.executeStep()) {
    const auto coco_id = find_id(image_ids, unit_query.getColumn(4).getString());
    const std::int64_t id = unit_query.getColumn(0).getInt64();
    units.push_back({order_key(coco_id, id), id,
                     static_cast<std::uint32_t>(unit_query.getColumn(1).getInt64()),
                     static_cast<std::uint32_t>(unit_query.getColumn(2).getInt64()),
                     static_cast<std::uint32_t>(unit_query.getColumn(3).getInt64())});
  }
  std::sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) { return a.key < b.key; });
  constexpr auto kAbsent = std::numeric_limits<std::size_t>::max();
  for (const Unit& unit : units) {
    const auto row = static_cast<std::size_t>(unit.id);
    if (first_image_of_unit_.size() <= row)
      first_image_of_unit_.resize(row + 1, kAbsent);
    first_image_of_unit_[row] = dataset_.images.size();
    for (std::uint32_t frame = 0; frame < unit.frames; ++frame)
      dataset_.images.push_back({unit.id, frame, unit.width, unit.height});
  }

  struct Category {
    OrderKey key;
    EvalCategory category;
  };
  std::vector<Category> categories;
  SQLite::Statement object_query(db, "SELECT id, name, feature_hash FROM ontology_objects");
  while (object_query.executeStep()) {
    const auto coco_id = find_id(category_ids, object_query.getColumn(2).getString());
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
    if (!category.key.has_coco_id)  // numbered by position, as a COCO export would
      category.category.coco_id = static_cast<std::int64_t>(dataset_.categories.size()) + 1;
    const auto row = static_cast<std::size_t>(category.category.object_id);
    if (category_of_object_.size() <= row)
      category_of_object_.resize(row + 1, std::numeric_limits<std::uint32_t>::max());
    category_of_object_[row] = static_cast<std::uint32_t>(dataset_.categories.size());
    dataset_.categories.push_back(std::move(category.category));
  }
}

EvalObject DatasetBuilder::to_object(const StoredObject& stored, MaskSet& masks) const {
  const auto unit = static_cast<std::size_t>(stored.data_unit_id);
  const auto class_row = static_cast<std::size_t>(stored.object_id);
  if (unit >= first_image_of_unit_.size() || class_row >= category_of_object_.size() ||
      first_image_of_unit_[unit] == std::numeric_limits<std::size_t>::max() ||
      category_of_object_[class_row] == std::numeric_limits<std::uint32_t>::max()) {
    throw Failure("the store refers to a data unit or class it does not hold; it is damaged.");
  }
  EvalObject object;
  object.image = static_cast<std::uint32_t>(first_image_of_unit_[unit] +
                                            static_cast<std::size_t>(stored.frame));
  object.category = category_of_object_[class_row];
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
  if (type_ != IouType::segm) {  // only the area of a mask or polygon without a given one
    object.area = static_cast<double>(sdk::rle_area(stored_mask(stored, image)));
    return object;
  }
  const sdk::BoundingBox* known_box = stored.box_is_mask_box ? &stored.box : nullptr;
  if (stored.mask == nullptr && stored.kind == "mask") {
    // Decoded straight into the set's blocks: most masks of a segm evaluation come this way.
    const std::optional<std::size_t> runs = sdk::rle_string_runs(stored.geometry);
    const std::span<std::uint32_t> room = masks.room(runs.value_or(0));
    if (!runs || !sdk::rle_decode_into(stored.geometry, image.height, image.width, room))
      throw damaged_mask(stored);
    object.mask = masks.add(image.height, image.width, room, known_box);
  } else {
    object.mask = masks.add(stored_mask(stored, image), known_box);
  }
  const auto mask_area = static_cast<double>(masks[object.mask].area);
  object.area = stored.area.value_or(is_box ? stored.box.w * stored.box.h : mask_area);
  return object;
}

void DatasetBuilder::read_labels(SQLite::Database& db, Part& part) const {
  RowReader rows(db,
                 "SELECT id, data_unit_id, frame, kind, object_id, x, y, w, h, geometry, area, "
                 "is_crowd, ignore, source_id FROM labels WHERE object_id IS NOT NULL ORDER BY id");
  while (rows.step()) {
    StoredObject label;
    label.id = rows.integer(0);
    label.data_unit_id = rows.integer(1);
    label.frame = rows.integer(2);
    label.kind = rows.text(3);
    label.object_id = rows.integer(4);
    label.box = {rows.real(5), rows.real(6), rows.real(7), rows.real(8), 0};
    label.geometry = rows.text(9);
    if (!rows.null(10))
      label.area = rows.real(10);
    label.crowd = rows.integer(11) != 0;
    label.ignore = rows.integer(12) != 0;
    if (!rows.null(13))
      label.source_id = rows.integer(13);
    part.objects.push_back(to_object(label, part.masks));
  }
}

void DatasetBuilder::read_predictions(SQLite::Database& db, std::int64_t first, std::int64_t last,
                                      Part& part) const {
  RowReader rows(db,
                 "SELECT id, data_unit_id, frame, kind, object_id, confidence, x, y, w, h, "
                 "geometry, area FROM predictions WHERE id BETWEEN ? AND ? "
                 "AND object_id IS NOT NULL ORDER BY id");
  rows.bind(1, first);
  rows.bind(2, last);
  const auto expected = static_cast<std::size_t>(std::max<std::int64_t>(last - first + 1, 0));
  part.objects.reserve(expected);
  if (type_ == IouType::segm)
    part.masks.reserve(expected);
  while (rows.step()) {
    StoredObject prediction;
    prediction.id = rows.integer(0);
    prediction.data_unit_id = rows.integer(1);
    prediction.frame = rows.integer(2);
    prediction.kind = rows.text(3);
    prediction.object_id = rows.integer(4);
    prediction.score = rows.real(5);
    prediction.box = {rows.real(6), rows.real(7), rows.real(8), rows.real(9), 0};
    prediction.geometry = rows.text(10);
    if (!rows.null(11))
      prediction.area = rows.real(11);
    // Without a given box (whose area would be stored) a mask's box is its tight box.
    prediction.box_is_mask_box = prediction.kind == "mask" && !prediction.area;
    part.objects.push_back(to_object(prediction, part.masks));
  }
}

void DatasetBuilder::append(Part&& part, std::vector<EvalObject>& objects) {
  const auto offset = static_cast<std::uint32_t>(dataset_.masks.size());
  for (EvalObject& object : part.objects) {
    if (object.mask != kNoMask)
      object.mask += offset;
  }
  if (objects.empty()) {
    objects = std::move(part.objects);
  } else {
    objects.insert(objects.end(), part.objects.begin(), part.objects.end());
  }
  dataset_.masks.append(std::move(part.masks));
}

void DatasetBuilder::read_store(Store& store, std::int64_t first, std::int64_t last) {
  // Three connections read at once (WAL lets readers share): the labels, and each half of the
  // set's id range. Rasterising polygons and decoding masks is most of the work.
  const std::int64_t middle = first + (last - first + 1) / 2;
  const std::string file = store.db().getFilename();
  Part labels, early, late;
  // The early half becomes the dataset's detections and the late half is appended to it, so it
  // has room for both from the start: copying half a million objects was a tenth of reading.
  early.objects.reserve(static_cast<std::size_t>(std::max<std::int64_t>(last - first + 1, 0)));
  const auto on_own_connection = [&](auto read) {
    return std::async(std::launch::async, [&file, read] {
      SQLite::Database db(file, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
      read_mapped(db);
      read(db);
    });
  };
  auto reading_labels = on_own_connection([&](SQLite::Database& db) { read_labels(db, labels); });
  auto reading_late =
      on_own_connection([&](SQLite::Database& db) { read_predictions(db, middle, last, late); });
  std::exception_ptr failure;
  read_mapped(store.db());
  try {
    read_predictions(store.db(), first, middle - 1, early);
  } catch (...) {
    failure = std::current_exception();
  }
  for (auto* reading : {&reading_labels, &reading_late}) {
    try {
      reading->get();
    } catch (...) {
      if (!failure)
        failure = std::current_exception();
    }
  }
  if (failure)
    std::rethrow_exception(failure);
  append(std::move(labels), dataset_.truths);
  append(std::move(early), dataset_.detections);
  append(std::move(late), dataset_.detections);
}

EvalDataset DatasetBuilder::take() {
  return std::move(dataset_);
}

void DatasetBuilder::add_label(const StoredObject& label) {
  dataset_.truths.push_back(to_object(label, dataset_.masks));
}

void DatasetBuilder::add_prediction(const StoredObject& prediction) {
  dataset_.detections.push_back(to_object(prediction, dataset_.masks));
}

}  // namespace ea::core::eval
