// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ea::masks {

/// A class as a metadata file names it: a name or feature_hash, or a COCO category id.
using ClassRef = std::variant<std::string, std::int64_t>;

/// "person" or "category 3", for messages.
std::string describe(const ClassRef& ref);

/// What a metadata file says about one instance.
struct InstanceInfo {
  std::optional<ClassRef> class_ref;  ///< its class
  std::optional<double> score;        ///< its confidence
  bool crowd = false;                 ///< a crowd region (COCO `iscrowd`)
};

/// --class-map: {pixel value: class} for class masks.
using ClassMap = std::map<std::uint32_t, ClassRef>;

/// Reads --class-map; throws UsageError naming the file and the entry that is wrong.
ClassMap read_class_map(const std::string& file);

/// --instances: {image stem: {instance id or file stem: class | {"class" | "category_id",
/// "score", "iscrowd"}}} for label maps and binary masks.
using InstanceTable =
    std::map<std::string, std::map<std::string, InstanceInfo, std::less<>>, std::less<>>;

/// Reads --instances; throws UsageError naming the file and the entry that is wrong.
InstanceTable read_instance_table(const std::string& file);

/// --scores: {image stem: {class value: [score of each component, in raster order]}}.
using ScoreTable = std::map<std::string, std::map<std::uint32_t, std::vector<double>>, std::less<>>;

/// Reads --scores; throws UsageError naming the file and the entry that is wrong.
ScoreTable read_score_table(const std::string& file);

/// One PNG of a COCO panoptic JSON: its image and its segments by id.
struct PanopticImage {
  std::string file_name;                           ///< the PNG, relative to the PNG folder
  std::string image_id;                            ///< the COCO image id, as text
  std::map<std::uint32_t, InstanceInfo> segments;  ///< segment id → category, crowd
};

/// A COCO panoptic JSON: its annotations (one per PNG) and its category names by id.
struct PanopticIndex {
  std::vector<PanopticImage> images;               ///< in file order
  std::map<std::int64_t, std::string> categories;  ///< category id → name
};

/// Reads a COCO panoptic JSON; throws InputError naming the annotation that is wrong.
PanopticIndex read_panoptic_index(const std::string& file);

}  // namespace ea::masks
