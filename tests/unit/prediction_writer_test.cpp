// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "ea/core/prediction_writer.hpp"
#include "ea/core/store.hpp"

namespace {

ea::core::PredictionRow box_row(std::int64_t record, double x) {
  ea::core::PredictionRow row;
  row.data_unit_id = 1 + record % 3;
  row.kind = "bounding_box";
  row.object_id = 2;
  row.confidence = 0.25 + static_cast<double>(record) / 1e6;
  row.box = ea::sdk::BoundingBox{x, 2.5, 3.25, 4.75, 0};
  row.source_record = record;
  return row;
}

}  // namespace

TEST_CASE("the writer stores each row's own values, shared or not across its batch") {
  ea::core::Store store = ea::core::Store::in_memory();
  std::vector<ea::core::PredictionRow> rows;
  // Batches of 8,192 rows: the first plain boxes (set, frame 0, kind and theta 0 all shared:
  // written into the SQL); the second boxes that differ in theta only, then in frame only; the
  // third a mix of kinds, track ids, a box-less mask and a given area.
  for (int i = 0; i < 17'000; ++i)
    rows.push_back(box_row(i, i % 100));
  rows[9'000].box->theta = 0.5;
  rows[12'000].frame = 3;
  rows[16'500].kind = "polygon";
  rows[16'500].geometry = R"([[[0,0],[4,0],[4,4]]])";
  rows[16'600].track_id = "";
  rows[16'601].track_id = "car-7";
  rows[16'700].box.reset();
  rows[16'700].kind = "mask";
  rows[16'700].geometry = "04";
  rows[16'701].area = 12.5;
  {
    ea::core::PredictionWriter writer(store.db(), 7, 1);
    for (const auto& row : rows)
      writer.push(row);
    CHECK(writer.finish() == rows.size());
  }
  SQLite::Statement stored(store.db(),
                           "SELECT set_id, data_unit_id, frame, kind, object_id, confidence, x, y, "
                           "w, h, theta, geometry, track_id, area, source_record FROM predictions "
                           "ORDER BY id");
  std::size_t i = 0;
  std::size_t mismatches = 0;
  for (; stored.executeStep(); ++i) {
    REQUIRE(i < rows.size());
    const ea::core::PredictionRow& row = rows[i];
    const auto text = [&](int column) -> std::optional<std::string> {
      if (stored.getColumn(column).isNull())
        return std::nullopt;
      return stored.getColumn(column).getString();
    };
    const auto real = [&](int column) -> std::optional<double> {
      if (stored.getColumn(column).isNull())
        return std::nullopt;
      return stored.getColumn(column).getDouble();
    };
    const bool same =
        stored.getColumn(0).getInt64() == 7 && stored.getColumn(1).getInt64() == row.data_unit_id &&
        stored.getColumn(2).getInt64() == row.frame && text(3) == std::string(row.kind) &&
        stored.getColumn(4).getInt64() == row.object_id &&
        stored.getColumn(5).getDouble() == row.confidence &&
        real(6) == (row.box ? std::optional(row.box->x) : std::nullopt) &&
        real(7) == (row.box ? std::optional(row.box->y) : std::nullopt) &&
        real(8) == (row.box ? std::optional(row.box->w) : std::nullopt) &&
        real(9) == (row.box ? std::optional(row.box->h) : std::nullopt) &&
        real(10) == (row.box ? std::optional(row.box->theta) : std::nullopt) &&
        text(11) == (row.geometry.empty() ? std::nullopt : std::optional(row.geometry)) &&
        text(12) == row.track_id && real(13) == row.area &&
        stored.getColumn(14).getInt64() == row.source_record;
    if (!same) {
      CAPTURE(i);
      ++mismatches;
    }
  }
  CHECK(i == rows.size());
  CHECK(mismatches == 0);
}
