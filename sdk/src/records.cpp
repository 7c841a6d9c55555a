// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <utility>

#include "ea/sdk/records.hpp"

namespace ea::sdk {

std::string describe(const RecordLocation& where) {
  switch (where.kind) {
    case RecordLocation::Kind::line:
      return "line " + std::to_string(where.number);
    case RecordLocation::Kind::index:
      return "index " + std::to_string(where.number);
    case RecordLocation::Kind::whole_file:
      break;
  }
  return {};
}

namespace {
constexpr std::array<std::pair<Shape, std::string_view>, 4> kShapeNames{{
    {Shape::bounding_box, "bounding_box"},
    {Shape::rotatable_bounding_box, "rotatable_bounding_box"},
    {Shape::polygon, "polygon"},
    {Shape::bitmask, "bitmask"},
}};
}  // namespace

std::string_view to_string(Shape shape) {
  for (const auto& [value, name] : kShapeNames) {
    if (value == shape)
      return name;
  }
  return "unknown";
}

std::optional<Shape> shape_from_string(std::string_view text) {
  for (const auto& [value, name] : kShapeNames) {
    if (name == text)
      return value;
  }
  return std::nullopt;
}

}  // namespace ea::sdk
