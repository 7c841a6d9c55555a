// SPDX-License-Identifier: Apache-2.0
#include "decoded_objects.hpp"

#include "ea/core/failure.hpp"
#include "ea/core/stored_polygon.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::core::metrics {

DecodedObjects::DecodedObjects(const std::vector<StoredObject>& stored,
                               const ProjectSnapshot& snapshot, const sdk::DataUnit& unit) {
  std::size_t polygons = 0, masks = 0;
  for (const StoredObject& object : stored) {
    polygons += object.kind == 'p';
    masks += object.kind == 'p' || object.kind == 'm';
  }
  // Reserved up front: the views below point into these vectors.
  polygons_.reserve(polygons);
  masks_.reserve(masks);
  objects_.reserve(stored.size());
  for (const StoredObject& object : stored) {
    sdk::MetricObject view;
    view.id = object.id;
    view.feature_hash = snapshot.objects()[object.object].feature_hash;
    view.confidence = object.confidence;
    view.box = sdk::BoundingBox{object.box.x, object.box.y, object.box.w, object.box.h, 0};
    view.rotation = object.box.theta;
    if (object.kind == 'p') {
      view.shape = sdk::Shape::polygon;
      polygons_.push_back(parse_stored_polygon(object.geometry, object.id));
      masks_.push_back(polygon_mask(polygons_.back(), unit.height, unit.width));
      view.polygon = &polygons_.back();
      view.mask = &masks_.back();
    } else if (object.kind == 'm') {
      view.shape = sdk::Shape::bitmask;
      std::optional<sdk::Rle> mask = sdk::rle_from_string(object.geometry, unit.height, unit.width);
      if (!mask)
        throw Failure("the stored mask of object " + std::to_string(object.id) +
                      " cannot be read.");
      masks_.push_back(std::move(*mask));
      view.mask = &masks_.back();
    }
    objects_.push_back(view);
    if (!object.crowd)
      without_crowd_.push_back(view);
  }
}

}  // namespace ea::core::metrics
