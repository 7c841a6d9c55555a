// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "ea/core/eval/mask_set.hpp"
#include "ea/sdk/geometry.hpp"

namespace ea::core::eval {

/// One image (or video frame) under evaluation.
struct EvalImage {
  std::int64_t data_unit_id = 0;  ///< the store's data unit
  std::uint32_t frame = 0;        ///< frame of a video, 0 for an image
  std::uint32_t width = 0;        ///< pixels
  std::uint32_t height = 0;       ///< pixels
};

/// One class under evaluation.
struct EvalCategory {
  std::int64_t object_id = 0;  ///< the store's ontology object
  std::string name;            ///< the ontology object's name
  std::string feature_hash;    ///< the ontology object's hash
  std::int64_t coco_id = 0;    ///< the COCO category id when known, else its position + 1
};

/// Marks an object without a mask.
inline constexpr std::uint32_t kNoMask = std::numeric_limits<std::uint32_t>::max();

/// A ground-truth label or a detection, reduced to what matching needs.
struct EvalObject {
  std::uint32_t image = 0;       ///< index into EvalDataset::images
  std::uint32_t category = 0;    ///< index into EvalDataset::categories
  sdk::BoundingBox box;          ///< pixels; for labels the source's `bbox`
  double area = 0;               ///< GT: the source's `area`; detections: as pycocotools' loadRes
  double score = 0;              ///< detections only
  bool crowd = false;            ///< GT crowd region
  bool ignore = false;           ///< GT `ignore` flag (honoured only without quirks)
  std::int64_t source_id = 1;    ///< GT: the COCO annotation id (0 never matches, a quirk)
  std::int64_t key = 0;          ///< the store's label or prediction id
  std::uint32_t mask = kNoMask;  ///< index into EvalDataset::masks (segm)
};

/// Everything a COCO evaluation reads. Images and categories are in pycocotools' order
/// (ascending COCO id); detections in file order, which breaks score ties.
struct EvalDataset {
  std::vector<EvalImage> images;         ///< evaluation order
  std::vector<EvalCategory> categories;  ///< evaluation order
  std::vector<EvalObject> truths;        ///< ground truth in source order
  std::vector<EvalObject> detections;    ///< detections in file order
  MaskSet masks;                         ///< masks of truths and detections (segm)
};

}  // namespace ea::core::eval
