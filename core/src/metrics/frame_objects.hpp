// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ea/core/eval/evaluation_store.hpp"
#include "ea/core/project_snapshot.hpp"
#include "ea/core/store.hpp"
#include "ea/sdk/geometry.hpp"

namespace ea::core::metrics {

/// An object label or prediction as stored, before its geometry is decoded.
struct StoredObject {
  std::int64_t id = 0;     ///< row id
  std::size_t object = 0;  ///< its class: index into ProjectSnapshot::objects()
  char kind = 'b';         ///< 'b' box, 'p' polygon, 'm' mask
  double confidence = 1;   ///< predictions' score; 1 for labels
  sdk::BoundingBox box;    ///< x, y, w, h and theta as stored
  std::string geometry;    ///< polygon rings as JSON, or the mask's RLE string
  bool crowd = false;      ///< a crowd region (labels)
};

/// One prediction set's objects on a frame.
struct SetObjects {
  std::int64_t set_id = 0;            ///< prediction_sets.id
  std::vector<StoredObject> objects;  ///< in id order
};

/// One frame to score.
struct FrameWork {
  std::int64_t frame = 0;            ///< frame index
  std::vector<StoredObject> labels;  ///< object labels, in id order
  std::vector<SetObjects> sets;      ///< predictions of each set run, by set
};

/// A data unit's frames to score, ascending.
struct UnitWork {
  std::size_t unit = 0;           ///< index into ProjectSnapshot::data_units()
  std::vector<FrameWork> frames;  ///< ascending by frame
};

/// A prediction set to score: evaluation's view of a set (ids first..last).
using SetRange = eval::SetRange;

/// Every set of the store, or the one named (through eval::find_set, which names the sets there
/// are when it does not exist).
std::vector<SetRange> sets_to_score(Store& store, const std::optional<std::string>& name);

/// Every frame with object labels or predictions of `sets`, and with `every_image` each image's
/// frame 0 besides; grouped by data unit in the snapshot's order.
std::vector<UnitWork> load_frames(Store& store, const ProjectSnapshot& snapshot,
                                  const std::vector<SetRange>& sets, bool with_labels,
                                  bool every_image);

}  // namespace ea::core::metrics
