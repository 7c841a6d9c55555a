// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <utility>

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid_io.hpp>

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

// ea's UUID namespace: derived ids are version-5 UUIDs of names within it.
constexpr boost::uuids::uuid kNamespace = {{0x6f, 0x1c, 0x2e, 0x9a, 0x54, 0x0d, 0x4b, 0x8e, 0x9f,
                                            0x61, 0x3a, 0x52, 0xd7, 0x0c, 0x11, 0xea}};

std::string name_uuid(std::string_view name) {
  const boost::uuids::name_generator_sha1 generate(kNamespace);
  return boost::uuids::to_string(generate(name.data(), name.size()));
}

constexpr std::array<std::pair<Shape, std::string_view>, 4> kShapeNames{{
    {Shape::bounding_box, "bounding_box"},
    {Shape::rotatable_bounding_box, "rotatable_bounding_box"},
    {Shape::polygon, "polygon"},
    {Shape::bitmask, "bitmask"},
}};
}  // namespace

std::string derived_data_hash(std::string_view title) {
  return name_uuid(title);
}

std::string derived_hash(std::string_view kind, std::string_view name, std::string_view detail) {
  std::string key;
  key.append(kind).push_back('\0');
  key.append(name).push_back('\0');
  key.append(detail);
  return name_uuid(key).substr(0, 8);
}

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
