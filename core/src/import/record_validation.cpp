// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ea/core/prediction_row.hpp"
#include "ea/sdk/rle.hpp"

namespace ea::core {

namespace {

// Relative coordinates may overshoot [0,1] by this much (floating-point noise); they are clamped.
constexpr double kTolerance = 1e-6;

Rejection reject(std::string category, std::string message) {
  return {std::move(category), std::move(message)};
}

/// Image extent along one axis in the geometry's units.
double extent(sdk::Units units, std::uint32_t pixels) {
  return units == sdk::Units::relative ? 1.0 : static_cast<double>(pixels);
}

std::optional<Rejection> check_frame(const std::optional<std::int64_t>& given,
                                     const sdk::DataUnit& unit,
                                     std::optional<std::int64_t> group_position,
                                     std::int64_t& frame) {
  if (unit.kind == sdk::MediaKind::video) {
    if (!given) {
      return reject("frame missing",
                    "a record on the video \"" + unit.title + "\" needs a frame number");
    }
    frame = *given;
    if (frame < 0 || frame >= static_cast<std::int64_t>(unit.frame_count)) {
      return reject("frame out of range",
                    fmt::format("frame {} is out of range for the video \"{}\" (frames 0 to {})",
                                frame, unit.title, unit.frame_count - 1));
    }
    return std::nullopt;
  }
  frame = given.value_or(0);
  // Encord Active numbers the images of a group by their place in it (data_sequence) and gives
  // predictions that frame; each is its own data unit here, always frame 0.
  if (group_position && frame == *group_position)
    frame = 0;
  if (frame != 0) {
    return reject("frame out of range", fmt::format("frame {} is out of range for the image \"{}\" "
                                                    "(an image has only frame 0)",
                                                    frame, unit.title));
  }
  return std::nullopt;
}

// Checks one coordinate range [low, low + size] against [0, limit]; clamps noise-level overshoot.
std::optional<Rejection> check_span(double& low, double& size, double limit, double tolerance,
                                    const char* axis) {
  if (low < -tolerance) {
    return reject("outside the image",
                  fmt::format("the box starts before the image edge ({} = {})", axis, low));
  }
  if (low + size > limit + tolerance) {
    return reject(
        "outside the image",
        fmt::format("the box extends past the image edge ({0} + {1} = {2}, more than {3})", axis,
                    axis == std::string_view("x") ? "w" : "h", low + size, limit));
  }
  low = std::max(low, 0.0);
  size = std::min(size, limit - low);
  return std::nullopt;
}

std::optional<Rejection> convert_box(sdk::BoundingBox box, sdk::Units units,
                                     const sdk::DataUnit& unit, PredictionRow& row) {
  if (!std::isfinite(box.x) || !std::isfinite(box.y) || !std::isfinite(box.w) ||
      !std::isfinite(box.h) || !std::isfinite(box.theta)) {
    return reject("invalid box", "the box has a coordinate that is not a finite number");
  }
  if (units == sdk::Units::relative && std::max({box.x, box.y, box.w, box.h}) > 1 + kTolerance) {
    return reject(
        "pixel coordinates in a relative box",
        fmt::format("the box (x {}, y {}, w {}, h {}) has values above 1, which look like "
                    "pixels; boxes here are relative to the image size, in [0,1]",
                    box.x, box.y, box.w, box.h));
  }
  if (units == sdk::Units::pixels) {
    // Pixel sources (COCO, KITTI) are kept exactly as given, even past the image edge: evaluation
    // must see the numbers pycocotools and the KITTI devkit see.
    if (box.w < 0 || box.h < 0) {
      return reject(
          "invalid box",
          fmt::format("the box has a negative width or height (w {}, h {})", box.w, box.h));
    }
    row.kind = "bounding_box";
    row.box = box;
    return std::nullopt;
  }
  if (box.w <= 0 || box.h <= 0) {
    return reject("empty box", fmt::format("the box has no area (w {}, h {})", box.w, box.h));
  }
  const double width = extent(units, unit.width), height = extent(units, unit.height);
  if (auto problem = check_span(box.x, box.w, width, kTolerance * width, "x"))
    return problem;
  if (auto problem = check_span(box.y, box.h, height, kTolerance * height, "y"))
    return problem;
  if (units == sdk::Units::relative) {
    box.x *= unit.width;
    box.w *= unit.width;
    box.y *= unit.height;
    box.h *= unit.height;
  }
  row.kind = "bounding_box";
  row.box = box;
  return std::nullopt;
}

void append_number(std::string& out, double value) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

std::optional<Rejection> convert_polygon(const sdk::Polygon& polygon, sdk::Units units,
                                         const sdk::DataUnit& unit, PredictionRow& row) {
  if (polygon.rings.empty())
    return reject("invalid polygon", "the polygon has no points");
  const double width = extent(units, unit.width), height = extent(units, unit.height);
  const double scale_x = units == sdk::Units::relative ? unit.width : 1.0;
  const double scale_y = units == sdk::Units::relative ? unit.height : 1.0;
  double min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
  std::string& json = row.geometry;
  json.push_back('[');
  for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
    const sdk::Ring& ring = polygon.rings[r];
    if (ring.size() < 3) {
      return reject("invalid polygon",
                    fmt::format("polygon ring {} has {} point(s); a ring needs at "
                                "least 3",
                                r, ring.size()));
    }
    json += r == 0 ? "[" : ",[";
    for (std::size_t i = 0; i < ring.size(); ++i) {
      double x = ring[i].x, y = ring[i].y;
      if (!std::isfinite(x) || !std::isfinite(y)) {
        return reject("invalid polygon", "the polygon has a point that is not a finite number");
      }
      if (units == sdk::Units::relative && std::max(x, y) > 1 + kTolerance) {
        return reject("pixel coordinates in a relative polygon",
                      fmt::format("the polygon point ({}, {}) is above 1, which looks like pixels; "
                                  "polygon points here are relative to the image size, in [0,1]",
                                  x, y));
      }
      if (units == sdk::Units::relative &&
          (x < -kTolerance || y < -kTolerance || x > 1 + kTolerance || y > 1 + kTolerance)) {
        return reject("outside the image",
                      fmt::format("the polygon point ({}, {}) lies outside the image", x, y));
      }
      if (units == sdk::Units::relative) {
        x = std::clamp(x, 0.0, width) * scale_x;
        y = std::clamp(y, 0.0, height) * scale_y;
      }
      min_x = std::min(min_x, x);
      min_y = std::min(min_y, y);
      max_x = std::max(max_x, x);
      max_y = std::max(max_y, y);
      if (i > 0)
        json.push_back(',');
      append_number(json, x);
      json.push_back(',');
      append_number(json, y);
    }
    json.push_back(']');
  }
  json.push_back(']');
  row.kind = "polygon";
  row.box = sdk::BoundingBox{min_x, min_y, max_x - min_x, max_y - min_y, 0};
  return std::nullopt;
}

std::optional<Rejection> convert_mask(const sdk::Rle& rle, const sdk::DataUnit& unit,
                                      PredictionRow& row) {
  if (rle.height != unit.height || rle.width != unit.width) {
    return reject("mask size mismatch",
                  fmt::format("the mask is {}×{} (height × width) but the image \"{}\" is {}×{}",
                              rle.height, rle.width, unit.title, unit.height, unit.width));
  }
  std::uint64_t total = 0;
  for (const std::uint32_t count : rle.counts)
    total += count;
  if (total != std::uint64_t{rle.height} * rle.width) {
    return reject("invalid mask", fmt::format("the mask's runs cover {} pixels, not {}×{}", total,
                                              rle.height, rle.width));
  }
  if (sdk::rle_area(rle) == 0)
    return reject("empty mask", "the mask has no pixels set");
  row.kind = "mask";
  row.box = sdk::rle_bbox(rle);
  row.mask = rle;
  return std::nullopt;
}

// A box localises an object of any shape (box evaluation uses the boxes of every class, as COCO
// does); polygons and masks need a polygon or bitmask object (Encord Active attaches masks to
// polygon objects).
bool shape_accepts(sdk::Shape shape, std::size_t geometry_index) {
  return geometry_index == 0 || shape == sdk::Shape::polygon || shape == sdk::Shape::bitmask;
}

constexpr std::string_view kGeometryNames[] = {"bounding-box", "polygon", "mask"};

std::optional<Rejection> convert_object(const sdk::ObjectDetection& object,
                                        const sdk::DataUnit& unit, const ProjectSnapshot& project,
                                        PredictionRow& row) {
  const sdk::OntologyObject* ontology_object = project.find_object(object.feature_hash);
  if (ontology_object == nullptr) {
    return reject("unknown feature_hash", "feature_hash \"" + object.feature_hash +
                                              "\" is not an object of the project's ontology");
  }
  if (!shape_accepts(ontology_object->shape, object.geometry.index())) {
    return reject(
        "shape mismatch",
        fmt::format("a {} prediction cannot be of class \"{}\", whose ontology shape is {}",
                    kGeometryNames[object.geometry.index()], ontology_object->name,
                    sdk::to_string(ontology_object->shape)));
  }
  row.object_id = project.row_id(*ontology_object);
  row.class_index = static_cast<std::size_t>(ontology_object - project.objects().data());
  row.track_id = object.track_id;
  if (!object.attributes.empty()) {
    nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
    for (const sdk::Attribute& attribute : object.attributes) {
      if (!std::isfinite(attribute.value)) {
        return reject("invalid attribute", fmt::format("the attribute \"{}\" is {}, not a finite "
                                                       "number",
                                                       attribute.name, attribute.value));
      }
      attributes[attribute.name] = attribute.value;
    }
    row.attributes = attributes.dump();
  }
  if (const auto* box = std::get_if<sdk::BoundingBox>(&object.geometry)) {
    return convert_box(*box, object.units, unit, row);
  }
  const auto problem =
      std::holds_alternative<sdk::Polygon>(object.geometry)
          ? convert_polygon(std::get<sdk::Polygon>(object.geometry), object.units, unit, row)
          : convert_mask(std::get<sdk::Rle>(object.geometry), unit, row);
  if (problem || !object.box)
    return problem;
  // The source's own box replaces the derived one: evaluation must see what the source says.
  PredictionRow given;
  if (auto box_problem = convert_box(*object.box, object.units, unit, given))
    return box_problem;
  row.box = given.box;
  row.area = given.box->w * given.box->h;
  return std::nullopt;
}

// The data unit, frame and content (object or classification) shared by predictions and labels.
std::optional<Rejection> convert_content(
    const std::string& data_hash, const std::optional<std::int64_t>& frame,
    const std::variant<sdk::ObjectDetection, sdk::FrameClassification>& content,
    const ProjectSnapshot& project, PredictionRow& row,
    std::optional<std::size_t> unit_index = std::nullopt) {
  // An importer that resolved the data unit says where: comparing one hash costs less than
  // hashing it again (a tenth of a COCO import's parsing core); a wrong hint falls back.
  const auto units = project.data_units();
  const sdk::DataUnit* unit =
      unit_index && *unit_index < units.size() && units[*unit_index].data_hash == data_hash
          ? &units[*unit_index]
          : project.find_data_unit(data_hash);
  if (unit == nullptr) {
    return reject("unknown data_hash",
                  "data_hash \"" + data_hash + "\" is not a data unit of this project");
  }
  row.data_unit_id = project.row_id(*unit);
  row.unit_index = project.index_of(*unit);
  if (auto problem = check_frame(frame, *unit, project.group_position(*unit), row.frame))
    return problem;
  if (const auto* object = std::get_if<sdk::ObjectDetection>(&content)) {
    return convert_object(*object, *unit, project, row);
  }
  const auto& classification = std::get<sdk::FrameClassification>(content);
  row.option_id = project.option_row_id(classification.feature_hash, classification.attribute_hash,
                                        classification.option_hash);
  if (row.option_id == 0) {
    return reject("unknown classification",
                  fmt::format("the classification (feature_hash \"{}\", attribute_hash \"{}\", "
                              "option_hash \"{}\") is not a radio option of the ontology",
                              classification.feature_hash, classification.attribute_hash,
                              classification.option_hash));
  }
  row.kind = "classification";
  return std::nullopt;
}

}  // namespace

std::string_view stored_geometry(PredictionRow& row) {
  if (row.geometry.empty() && row.mask)
    row.geometry = sdk::rle_to_string(*row.mask);
  return row.geometry;
}

std::variant<PredictionRow, Rejection> to_prediction_row(const sdk::Prediction& prediction,
                                                         const ProjectSnapshot& project) {
  PredictionRow row;
  if (!std::isfinite(prediction.confidence) || prediction.confidence < 0) {
    return reject("invalid confidence",
                  fmt::format("the confidence {} is not a finite, non-negative number",
                              prediction.confidence));
  }
  row.confidence = prediction.confidence;
  if (auto problem = convert_content(prediction.data_hash, prediction.frame, prediction.content,
                                     project, row, prediction.unit_index)) {
    return *problem;
  }
  return row;
}

std::variant<LabelRow, Rejection> to_label_row(const sdk::Label& label,
                                               const ProjectSnapshot& project) {
  LabelRow row;
  if (label.area && (!std::isfinite(*label.area) || *label.area < 0)) {
    return reject("invalid area",
                  fmt::format("the area {} is not a finite, non-negative number", *label.area));
  }
  if (auto problem =
          convert_content(label.data_hash, label.frame, label.content, project, row.row)) {
    return *problem;
  }
  row.area = label.area;
  row.is_crowd = label.is_crowd;
  row.ignore = label.ignore;
  row.source_id = label.source_id;
  return row;
}

}  // namespace ea::core
