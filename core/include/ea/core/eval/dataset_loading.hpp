// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ea/core/eval/coco_params.hpp"
#include "ea/core/eval/eval_dataset.hpp"
#include "ea/core/store.hpp"

namespace ea::core::eval {

/// A stored label or prediction as evaluation reads it.
struct StoredObject {
  std::int64_t id = 0;            ///< labels.id or predictions.id
  std::int64_t data_unit_id = 0;  ///< data_units.id
  std::int64_t frame = 0;         ///< frame index
  std::string_view kind;          ///< bounding_box, polygon or mask
  std::int64_t object_id = 0;     ///< ontology_objects.id
  sdk::BoundingBox box;           ///< pixels
  std::string_view geometry;      ///< polygon rings JSON or compressed RLE
  /// The decoded mask when the caller has it (then geometry may be empty); it is moved from.
  sdk::Rle* mask = nullptr;
  double score = 0;            ///< predictions: confidence
  std::optional<double> area;  ///< the source's area (labels) or a given box's (predictions)
  bool crowd = false;          ///< labels: crowd region
  bool ignore = false;         ///< labels: ignore flag
  std::optional<std::int64_t> source_id;  ///< labels: the source's id
  bool box_is_mask_box = false;  ///< `box` is the mask's tight box (saves computing it again)
};

/// Builds an EvalDataset from the store: images (every frame of every data unit) and classes in
/// pycocotools' order — ascending COCO id where the project came from COCO, else store order.
class DatasetBuilder {
 public:
  /// Reads images and classes; masks are built only for `type` segm (and for areas).
  DatasetBuilder(Store& store, IouType type);

  /// Reads every object label of the project and the predictions with ids first..last (one
  /// prediction set), on three connections at once.
  void read_store(Store& store, std::int64_t first, std::int64_t last);
  /// Adds one prediction (`ea cocoeval` hands rows over without a store round trip).
  void add_prediction(const StoredObject& prediction);
  /// Adds one label the same way.
  void add_label(const StoredObject& label);

  /// The dataset (with each mask's tight box); the builder is spent.
  EvalDataset take();

 private:
  // Objects read by one thread, with masks numbered from 0.
  struct Part {
    std::vector<EvalObject> objects;
    MaskSet masks;
  };
  EvalObject to_object(const StoredObject& stored, MaskSet& masks) const;
  void read_labels(SQLite::Database& db, Part& part) const;
  void read_predictions(SQLite::Database& db, std::int64_t first, std::int64_t last,
                        Part& part) const;
  void append(Part&& part, std::vector<EvalObject>& objects);

  IouType type_;
  EvalDataset dataset_;
  // Indexed by the store's row ids (dense): a vector lookup per object, not a hash.
  std::vector<std::size_t> first_image_of_unit_;
  std::vector<std::uint32_t> category_of_object_;
};

}  // namespace ea::core::eval
