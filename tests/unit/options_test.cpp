// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "ea/sdk/error.hpp"
#include "ea/sdk/options.hpp"
#include "ea/sdk/records.hpp"

TEST_CASE("option values are typed on request") {
  ea::sdk::OptionValues values;
  values.set("scale", "2.5");
  values.set("limit", "12");
  values.set("strict", "true");
  values.set("bad", "12x");
  CHECK(values.number("scale") == 2.5);
  CHECK(values.integer("limit") == 12);
  CHECK(values.flag("strict"));
  CHECK_FALSE(values.flag("absent"));
  CHECK_FALSE(values.text("absent").has_value());
  CHECK_THROWS_AS(values.integer("bad"), ea::sdk::UsageError);
  CHECK_THROWS_AS(values.number("bad"), ea::sdk::UsageError);
}

TEST_CASE("record locations and shapes have one text form") {
  CHECK(ea::sdk::describe({ea::sdk::RecordLocation::Kind::line, 12}) == "line 12");
  CHECK(ea::sdk::describe({ea::sdk::RecordLocation::Kind::index, 0}) == "index 0");
  CHECK(ea::sdk::describe({}) == "");
  for (const auto shape : {ea::sdk::Shape::bounding_box, ea::sdk::Shape::rotatable_bounding_box,
                           ea::sdk::Shape::polygon, ea::sdk::Shape::bitmask}) {
    CHECK(ea::sdk::shape_from_string(ea::sdk::to_string(shape)) == shape);
  }
  CHECK_FALSE(ea::sdk::shape_from_string("circle").has_value());
}
