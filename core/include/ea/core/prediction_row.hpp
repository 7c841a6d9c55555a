// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ea/core/project_snapshot.hpp"
#include "ea/sdk/records.hpp"

namespace ea::core {

/// A validated prediction as the store keeps it: ids resolved, geometry in pixels.
struct PredictionRow {
  std::int64_t data_unit_id = 0;        ///< data_units.id
  std::int64_t frame = 0;               ///< frame index
  std::string_view kind;                ///< bounding_box, polygon, mask or classification
  std::int64_t object_id = 0;           ///< ontology_objects.id, 0 for a classification
  std::int64_t option_id = 0;           ///< classification_options.id, 0 for an object
  double confidence = 0;                ///< as given
  std::optional<sdk::BoundingBox> box;  ///< the box, or the tight box of a polygon or mask
  std::string geometry;                 ///< polygon rings JSON or compressed RLE; empty for boxes
  /// A mask's runs, encoded into `geometry` only where it is stored (by the writer, on its own
  /// core); evaluation from memory uses them directly.
  std::optional<sdk::Rle> mask;
  /// The area evaluation uses when the source gives a box beside a mask or polygon: the box's
  /// w·h, as pycocotools' loadRes does. Unset: the geometry's own area.
  std::optional<double> area;
  std::optional<std::string> track_id;  ///< as given
  std::string attributes;               ///< JSON object {name: value}; empty when there are none
  std::int64_t source_record = 0;       ///< line or index in the input
  std::size_t unit_index = 0;           ///< position of the data unit in the snapshot
  std::size_t class_index = 0;          ///< position of the object in the snapshot's objects
};

/// Where validated prediction rows go: the store's writer, or memory for `ea cocoeval`.
class PredictionRowConsumer {
 public:
  virtual ~PredictionRowConsumer() = default;
  /// Takes one validated row.
  virtual void push(PredictionRow row) = 0;
};

/// Why a record was refused: a short category for the reconciliation report and one sentence.
struct Rejection {
  std::string category;  ///< e.g. "unknown data_hash"
  std::string message;   ///< what is wrong with this record
};

/// A validated ground-truth label: the same fields as a prediction row plus COCO's extras.
struct LabelRow {
  PredictionRow row;                      ///< data unit, frame, class and geometry (confidence 0)
  std::optional<double> area;             ///< the area the source gives, kept exactly
  bool is_crowd = false;                  ///< a crowd region
  bool ignore = false;                    ///< excluded from evaluation
  std::optional<std::int64_t> source_id;  ///< the source's own id
};

/// Where validated labels go instead of the store (`ea cocoeval` evaluates them from memory).
class LabelRowConsumer {
 public:
  virtual ~LabelRowConsumer() = default;
  /// Takes one validated label.
  virtual void push(const LabelRow& label) = 0;
};

/// The stored text of a row's geometry: `geometry`, or the mask encoded as a COCO RLE string.
std::string_view stored_geometry(PredictionRow& row);

/// Checks a label against the project like a prediction (without confidence).
std::variant<LabelRow, Rejection> to_label_row(const sdk::Label& label,
                                               const ProjectSnapshot& project);

/// Checks a prediction against the project (data unit, frame, class, confidence, geometry within
/// the image with a tolerance of 1e-6 of its size that is clamped) and converts it to pixels.
std::variant<PredictionRow, Rejection> to_prediction_row(const sdk::Prediction& prediction,
                                                         const ProjectSnapshot& project);

}  // namespace ea::core
