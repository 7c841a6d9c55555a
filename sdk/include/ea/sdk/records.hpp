// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ea/sdk/export.hpp"
#include "ea/sdk/geometry.hpp"

namespace ea::sdk {

/// What kind of media a data unit is.
enum class MediaKind {
  image,  ///< one still image; its only frame is 0
  video,  ///< a video; frames are 0 .. frame_count-1
};

/// One image or one video of a project.
struct DataUnit {
  std::string data_hash;  ///< stable UUID identifying the data unit
  std::string title;      ///< file name (relative path inside the image folder)
  std::string path;       ///< where the media file is, relative to the project or absolute
  MediaKind kind = MediaKind::image;  ///< image or video
  std::uint32_t width = 0;        ///< pixels; 0 (with height 0): read from the file under --images
  std::uint32_t height = 0;       ///< pixels
  std::uint32_t frame_count = 1;  ///< 1 for an image
};

/// The shape an ontology object is annotated with.
enum class Shape {
  bounding_box,            ///< axis-aligned box
  rotatable_bounding_box,  ///< box with a rotation angle
  polygon,                 ///< polygon; masks attach to polygon objects, as in Encord Active
  bitmask,                 ///< pixel mask
};

/// An object class of the ontology (Encord's featureNode).
struct OntologyObject {
  std::string feature_hash;           ///< Encord featureNodeHash; a prediction's class id
  std::string name;                   ///< class name
  Shape shape = Shape::bounding_box;  ///< annotation shape
  std::string supercategory;          ///< a grouping the source gives (COCO), or empty
};

/// One option of a radio classification.
struct ClassificationOption {
  std::string option_hash;  ///< Encord option featureNodeHash
  std::string name;         ///< option label
};

/// A frame-level radio classification of the ontology.
struct OntologyClassification {
  std::string feature_hash;                   ///< the classification's featureNodeHash
  std::string attribute_hash;                 ///< its radio attribute's featureNodeHash
  std::string name;                           ///< the question
  std::vector<ClassificationOption> options;  ///< the answers
};

/// A named number a source gives beside an object's geometry (KITTI: truncation, occlusion,
/// alpha, 3D size, location and rotation), kept in the store for protocols and metrics.
struct Attribute {
  std::string name;  ///< e.g. "truncated"
  double value = 0;  ///< finite
};

/// A detected object: its class and geometry (Encord Active's ObjectDetection).
struct ObjectDetection {
  std::string feature_hash;                          ///< ontology object of the class
  std::variant<BoundingBox, Polygon, Rle> geometry;  ///< box, polygon or mask
  Units units = Units::relative;                     ///< how box and polygon coordinates are given
  std::optional<std::string> track_id;               ///< identity across video frames
  /// The object's box as the source gives it (COCO `bbox`, in `units`); when absent the box is
  /// derived from the geometry. Evaluation uses the given box, as pycocotools does.
  std::optional<BoundingBox> box;
  std::vector<Attribute> attributes;  ///< extra numbers the source gives, in its order
};

/// A frame-level answer to a radio classification (Encord Active's FrameClassification).
struct FrameClassification {
  std::string feature_hash;    ///< the classification
  std::string attribute_hash;  ///< its radio attribute
  std::string option_hash;     ///< the chosen option
};

/// One model output on one frame (Encord Active's Prediction).
struct Prediction {
  std::string data_hash;              ///< the data unit
  std::optional<std::int64_t> frame;  ///< frame index; required for videos, 0 or absent for images
  double confidence = 0;              ///< model score, finite and non-negative
  std::variant<ObjectDetection, FrameClassification> content;  ///< an object or a classification
  /// Where the importer found the data unit in ProjectView::data_units(), if it looked it up
  /// there: spares the host hashing `data_hash` again (it still checks the entry's hash).
  std::optional<std::size_t> unit_index;
};

/// One ground-truth object or frame classification.
struct Label {
  std::string data_hash;                                       ///< the data unit
  std::optional<std::int64_t> frame;                           ///< frame index, as for predictions
  std::variant<ObjectDetection, FrameClassification> content;  ///< an object or a classification
  std::optional<double> area;             ///< area as the source gave it (COCO `area`), if any
  bool is_crowd = false;                  ///< a crowd region (COCO `iscrowd`)
  bool ignore = false;                    ///< excluded from evaluation (COCO `ignore`)
  std::optional<std::int64_t> source_id;  ///< the source's own id (COCO annotation `id`)
};

/// What an external identifier refers to.
enum class ExternalTarget {
  data_unit,       ///< a data_hash
  ontology_object  ///< a feature_hash
};

/// A source format's own identifier for a data unit or class (COCO image id → data_hash).
struct ExternalId {
  std::string space;        ///< namespace, e.g. "coco.image" or "coco.category"
  std::string external_id;  ///< the identifier as the source writes it
  ExternalTarget target = ExternalTarget::data_unit;  ///< what `hash` names
  std::string hash;                                   ///< data_hash or feature_hash
  /// For a data unit: the one frame of it the id names (a video frame given as an image), if any.
  std::optional<std::int64_t> frame;
};

/// Where a record sits in its input file, for messages.
struct RecordLocation {
  /// How `number` counts.
  enum class Kind {
    whole_file,  ///< the record is the file itself
    line,        ///< 1-based line number (JSON Lines, text formats)
    index,       ///< 0-based position in a JSON array
  };
  Kind kind = Kind::whole_file;  ///< how to read `number`
  std::uint64_t number = 0;      ///< line or index
};

/// The data_hash a data unit gets when its source gives none: a version-5 UUID of its title in
/// ea's namespace, the same one `ea init` gives a file of that relative path.
EA_SDK_EXPORT std::string derived_data_hash(std::string_view title);

/// An 8-character hash derived from a kind ("object", "classification", …) and names, for
/// ontology entries whose source gives no hash.
EA_SDK_EXPORT std::string derived_hash(std::string_view kind, std::string_view name,
                                       std::string_view detail = {});

/// "line 12", "index 3" or "" for a whole file.
EA_SDK_EXPORT std::string describe(const RecordLocation& where);

/// The text form of a shape, as ea.json and the store write it ("bounding_box", …).
EA_SDK_EXPORT std::string_view to_string(Shape shape);

/// The shape named by text, if any.
EA_SDK_EXPORT std::optional<Shape> shape_from_string(std::string_view text);

}  // namespace ea::sdk
