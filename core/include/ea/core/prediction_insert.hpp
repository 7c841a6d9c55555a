// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "ea/core/prediction_row.hpp"

namespace ea::core {

/// The shape of a batch's multi-row INSERT into `predictions`: which columns its rows fill, and
/// which values all of them share. A column no row fills is left out (stored as nothing, while
/// binding NULL costs about as much as a value), and a shared value is written into the SQL once
/// instead of bound for every row: a box batch binds 7 values a row instead of 17.
struct InsertShape {
  bool object = false;      ///< object_id (not classifications)
  bool option = false;      ///< option_id (classifications)
  bool box = false;         ///< x, y, w, h (and theta)
  bool geometry = false;    ///< polygons and masks
  bool track = false;       ///< track_id
  bool area = false;        ///< a given area
  bool attributes = false;  ///< KITTI's numbers and the like
  bool frame_zero = false;  ///< every row is on frame 0 (images)
  bool theta_zero = false;  ///< every box is axis-aligned
  std::string_view kind;    ///< the kind every row has; empty when they differ

  /// The shape `rows` need.
  static InsertShape of(std::span<PredictionRow> rows);
  /// How many values a row binds.
  int bound_per_row() const;
  bool operator==(const InsertShape&) const = default;
};

/// The INSERT of `rows` rows of set `set_id` in `shape`.
std::string insert_sql(std::size_t rows, const InsertShape& shape, std::int64_t set_id);

/// Binds `row`'s values to `insert` from parameter `first` on; throws on a SQLite error.
void bind_row(sqlite3_stmt* insert, int first, PredictionRow& row, const InsertShape& shape);

}  // namespace ea::core
