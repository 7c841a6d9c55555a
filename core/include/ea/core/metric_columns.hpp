// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

namespace ea::core {

/// Metric values are stored one row per object (prediction_metric_values, label_metric_values)
/// or frame (frame_metric_values) with one REAL column per metric, named by the metric's id in
/// metric_names: a run writes half a million rows where one row per value made 7 million, four
/// times slower. The views prediction_metrics, label_metrics and frame_metrics give the same
/// values one per row, by metric name, for queries and for people.

/// The value column of the metric with this id.
std::string metric_column(std::int64_t id);

/// A metric with value columns.
struct MetricColumn {
  std::string name;    ///< the metric's name
  std::string column;  ///< its column in the three tables
};

/// Every metric with value columns, by name.
std::vector<MetricColumn> metric_columns(SQLite::Database& db);

/// The ids of `names` in metric_names, each given a value column in the three tables (and the
/// views rebuilt) when it has none yet. Run it inside the writing transaction.
std::vector<std::int64_t> ensure_metric_columns(SQLite::Database& db,
                                                const std::vector<std::string>& names);

/// Moves the values of a version-6 store (tables prediction_metrics, label_metrics and
/// frame_metrics, one row per value) into the value columns, drops those tables and makes the
/// views in their place. Part of migration 7.
void move_metric_values_to_columns(SQLite::Database& db);

}  // namespace ea::core
