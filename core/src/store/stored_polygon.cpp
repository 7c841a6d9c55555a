// SPDX-License-Identifier: Apache-2.0
#include "ea/core/stored_polygon.hpp"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ea/core/failure.hpp"

namespace ea::core {

sdk::Polygon parse_stored_polygon(std::string_view rings_json, std::int64_t id) {
  sdk::Polygon polygon;
  try {
    for (const nlohmann::json& ring : nlohmann::json::parse(rings_json)) {
      sdk::Ring points;
      points.reserve(ring.size() / 2);
      for (std::size_t i = 0; i + 1 < ring.size(); i += 2)
        points.push_back(sdk::Point{ring[i].get<double>(), ring[i + 1].get<double>()});
      polygon.rings.push_back(std::move(points));
    }
  } catch (const nlohmann::json::exception&) {
    throw Failure("the stored polygon of object " + std::to_string(id) + " cannot be read.");
  }
  return polygon;
}

sdk::Rle polygon_mask(const sdk::Polygon& polygon, std::uint32_t height, std::uint32_t width) {
  std::vector<sdk::Rle> rings;
  std::vector<double> xy;
  for (const sdk::Ring& ring : polygon.rings) {
    xy.clear();
    for (const sdk::Point& point : ring) {
      xy.push_back(point.x);
      xy.push_back(point.y);
    }
    rings.push_back(sdk::rle_from_polygon(xy, height, width));
  }
  return rings.size() == 1 ? std::move(rings.front()) : sdk::rle_merge(rings);
}

}  // namespace ea::core
