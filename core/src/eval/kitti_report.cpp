// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/kitti_report.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <future>
#include <map>
#include <tuple>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "ea/core/failure.hpp"
#include "ea/core/text.hpp"

namespace ea::core::eval {

namespace {

using FrameKey = std::pair<std::int64_t, std::int64_t>;  // data unit, frame

// Boxes with their class, KITTI attributes and frame; `detections` adds the score.
std::vector<std::pair<FrameKey, KittiObject>> read_objects(SQLite::Statement& query,
                                                           bool detections) {
  std::vector<std::pair<FrameKey, KittiObject>> objects;
  while (query.executeStep()) {
    KittiObject object;
    object.type = ascii_lowercase(query.getColumn(2).getString());
    const double x = query.getColumn(3).getDouble(), y = query.getColumn(4).getDouble();
    object.box = {x, y, x + query.getColumn(5).getDouble(), y + query.getColumn(6).getDouble()};
    object.truncated = query.getColumn(7).isNull() ? 0 : query.getColumn(7).getDouble();
    object.occluded = query.getColumn(8).isNull() ? 0 : query.getColumn(8).getDouble();
    object.alpha = query.getColumn(9).isNull() ? -10 : query.getColumn(9).getDouble();
    if (detections)
      object.score = query.getColumn(10).getDouble();
    objects.emplace_back(FrameKey{query.getColumn(0).getInt64(), query.getColumn(1).getInt64()},
                         std::move(object));
  }
  return objects;
}

constexpr const char* kColumns =
    "SELECT t.data_unit_id, t.frame, o.name, t.x, t.y, t.w, t.h, "
    "json_extract(t.attributes, '$.truncated'), json_extract(t.attributes, '$.occluded'), "
    "json_extract(t.attributes, '$.alpha')";

nlohmann::json per_difficulty(const std::array<double, 3>& values) {
  return {{"easy", values[0]}, {"moderate", values[1]}, {"hard", values[2]}};
}

}  // namespace

std::vector<KittiImage> read_kitti_images(Store& store, const SetRange& set) {
  // The labels are read on a second connection (WAL lets readers share) while this one reads
  // the predictions.
  const std::string file = store.db().getFilename();
  auto reading_labels = std::async(std::launch::async, [&file] {
    SQLite::Database db(file, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
    SQLite::Statement labels(db, std::string(kColumns) +
                                     " FROM labels t JOIN ontology_objects o ON o.id = "
                                     "t.object_id WHERE t.x IS NOT NULL ORDER BY t.id");
    return read_objects(labels, false);
  });
  SQLite::Statement query(store.db(),
                          std::string(kColumns) +
                              ", t.confidence FROM predictions t JOIN ontology_objects o ON "
                              "o.id = t.object_id WHERE t.id BETWEEN ? AND ? AND t.x IS NOT "
                              "NULL ORDER BY t.id");
  query.bind(1, set.first);
  query.bind(2, set.last);
  auto predictions = read_objects(query, true);
  auto labels = reading_labels.get();

  std::map<FrameKey, std::size_t> frames;
  std::vector<KittiImage> images;
  const auto image_of = [&](const FrameKey& key) -> KittiImage& {
    const auto [at, added] = frames.emplace(key, images.size());
    if (added)
      images.emplace_back();
    return images[at->second];
  };
  for (auto& [key, object] : labels)
    image_of(key).truths.push_back(std::move(object));
  for (auto& [key, object] : predictions)
    image_of(key).detections.push_back(std::move(object));
  return images;
}

std::vector<std::pair<std::string, std::pair<std::string, double>>> kitti_classes(
    Store& store, const std::vector<std::string>& min_overlaps) {
  std::map<std::string, std::string> spelled;  // lower case → the ontology's spelling
  SQLite::Statement names(store.db(), "SELECT name FROM ontology_objects ORDER BY id");
  while (names.executeStep()) {
    const std::string name = names.getColumn(0).getString();
    spelled.emplace(ascii_lowercase(name), name);
  }
  std::vector<std::pair<std::string, std::pair<std::string, double>>> classes;
  const auto set = [&](const std::string& name, double overlap) {
    const std::string key = ascii_lowercase(name);
    const auto found = spelled.find(key);
    const std::string display = found == spelled.end() ? name : found->second;
    for (auto& entry : classes) {
      if (entry.first == key) {
        entry.second.second = overlap;
        return;
      }
    }
    classes.push_back({key, {display, overlap}});
  };
  set("Car", 0.7);
  set("Pedestrian", 0.5);
  set("Cyclist", 0.5);
  for (const std::string& entry : min_overlaps) {
    const std::size_t equals = entry.find('=');
    double overlap = 0;
    const char* first = entry.data() + equals + 1;
    const char* last = entry.data() + entry.size();
    if (equals == std::string::npos || equals == 0 ||
        std::from_chars(first, last, overlap).ptr != last || overlap < 0 || overlap >= 1) {
      throw Failure("--min-overlap takes CLASS=OVERLAP with an overlap in [0, 1), not \"" + entry +
                    "\".");
    }
    set(entry.substr(0, equals), overlap);
  }
  return classes;
}

nlohmann::json kitti_json(const KittiEvaluation& evaluation) {
  nlohmann::json classes = nlohmann::json::object();
  for (const KittiClassResult& c : evaluation.classes) {
    nlohmann::json entry = {
        {"min_overlap", c.min_overlap},
        {"detections", c.detections},
        {"labels", {{"easy", c.labels[0]}, {"moderate", c.labels[1]}, {"hard", c.labels[2]}}},
        {"AP_R40", per_difficulty(c.ap_r40)},
        {"AP_R11", per_difficulty(c.ap_r11)},
        {"precision",
         {{"easy", c.precision[0]}, {"moderate", c.precision[1]}, {"hard", c.precision[2]}}}};
    if (evaluation.orientation) {
      entry["AOS_R40"] = per_difficulty(c.aos_r40);
      entry["AOS_R11"] = per_difficulty(c.aos_r11);
    }
    classes[c.name] = std::move(entry);
  }
  return {{"protocol", "kitti"},
          {"images", evaluation.images},
          {"orientation", evaluation.orientation},
          {"per_class", classes},
          {"not_evaluated", evaluation.not_evaluated}};
}

std::string kitti_text(const KittiEvaluation& evaluation) {
  std::string text = fmt::format(
      "KITTI 2D detection ({} images; the devkit's rules: overlap must exceed the class's "
      "minimum)\n{:<16} {:>7}  {:>8} {:>8} {:>8}  {:>8} {:>8} {:>8}\n",
      evaluation.images, "class", "min IoU", "R40 easy", "moderate", "hard", "R11 easy", "moderate",
      "hard");
  for (const KittiClassResult& c : evaluation.classes) {
    text += fmt::format("{:<16} {:>7.2f}  {:>8.2f} {:>8.2f} {:>8.2f}  {:>8.2f} {:>8.2f} {:>8.2f}\n",
                        c.name, c.min_overlap, 100 * c.ap_r40[0], 100 * c.ap_r40[1],
                        100 * c.ap_r40[2], 100 * c.ap_r11[0], 100 * c.ap_r11[1], 100 * c.ap_r11[2]);
    if (evaluation.orientation) {
      text += fmt::format("{:<16} {:>7}  {:>8.2f} {:>8.2f} {:>8.2f}  {:>8.2f} {:>8.2f} {:>8.2f}\n",
                          "  AOS", "", 100 * c.aos_r40[0], 100 * c.aos_r40[1], 100 * c.aos_r40[2],
                          100 * c.aos_r11[0], 100 * c.aos_r11[1], 100 * c.aos_r11[2]);
    }
  }
  if (!evaluation.not_evaluated.empty()) {
    std::string names;
    for (const auto& name : evaluation.not_evaluated)
      names += (names.empty() ? "" : ", ") + name;
    text += "Not evaluated (no detection of the class, as the devkit skips it): " + names + ".\n";
  }
  if (!evaluation.orientation)
    text += "AOS not computed: some detection has no alpha (-10).\n";
  return text;
}

}  // namespace ea::core::eval
