// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

// The contract between core and its plot module (ea_plots.so), which draws with OpenCV so that
// `ea` itself never links it (see media_reader.hpp for why).
namespace ea::core::plots {

/// One line of a chart.
struct Series {
  std::string label;      ///< legend text
  std::vector<double> x;  ///< in [0, 1]
  std::vector<double> y;  ///< in [0, 1]
};

/// A line chart on the unit square (precision against recall).
struct LineChart {
  std::string title;           ///< above the plot
  std::string x_label;         ///< under the x axis
  std::string y_label;         ///< beside the y axis
  std::vector<Series> series;  ///< drawn in order, coloured from a fixed palette
};

/// A square matrix of counts drawn as a heat map with the counts in the cells.
struct HeatMap {
  std::string title;                  ///< above the map
  std::vector<std::string> names;     ///< row and column names
  std::vector<std::uint64_t> counts;  ///< row-major, names.size()² entries
  std::string row_label;              ///< what rows are
  std::string column_label;           ///< what columns are
};

/// `ea_plots_line_chart`: writes the chart as a PNG; false with the reason in `error`.
using LineChartFunction = bool(const LineChart& chart, const std::filesystem::path& file,
                               std::string& error) noexcept;
/// `ea_plots_heat_map`: writes the heat map as a PNG; false with the reason in `error`.
using HeatMapFunction = bool(const HeatMap& map, const std::filesystem::path& file,
                             std::string& error) noexcept;

/// Entry point names.
inline constexpr const char* kLineChartSymbol = "ea_plots_line_chart";
inline constexpr const char* kHeatMapSymbol = "ea_plots_heat_map";

}  // namespace ea::core::plots
