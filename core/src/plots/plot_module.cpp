// SPDX-License-Identifier: Apache-2.0
// ea_plots.so: PR curves and confusion matrices drawn with OpenCV for `ea evaluate --out`.
#include <algorithm>
#include <array>
#include <cmath>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "plot_contract.hpp"

using ea::core::plots::HeatMap;
using ea::core::plots::LineChart;

namespace {

const cv::Scalar kBlack(0, 0, 0), kGrid(225, 225, 225), kWhite(255, 255, 255);
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

// Tableau 10, in BGR.
const std::array<cv::Scalar, 10> kPalette = {cv::Scalar(180, 119, 31),  cv::Scalar(14, 127, 255),
                                             cv::Scalar(44, 160, 44),   cv::Scalar(40, 39, 214),
                                             cv::Scalar(189, 103, 148), cv::Scalar(75, 86, 140),
                                             cv::Scalar(194, 119, 227), cv::Scalar(127, 127, 127),
                                             cv::Scalar(34, 189, 188),  cv::Scalar(207, 190, 23)};

void text(cv::Mat& image, const std::string& line, cv::Point at, double scale, int thickness = 1,
          const cv::Scalar& colour = kBlack) {
  cv::putText(image, line, at, kFont, scale, colour, thickness, cv::LINE_AA);
}

cv::Size text_size(const std::string& line, double scale, int thickness = 1) {
  int baseline = 0;
  return cv::getTextSize(line, kFont, scale, thickness, &baseline);
}

// Text turned 90° counter-clockwise, its lower-left corner (after turning) at `at`.
void vertical_text(cv::Mat& image, const std::string& line, cv::Point at, double scale) {
  const cv::Size size = text_size(line, scale);
  cv::Mat strip(size.height + 8, size.width + 4, CV_8UC3, kWhite);
  text(strip, line, {2, size.height + 2}, scale);
  cv::Mat turned;
  cv::rotate(strip, turned, cv::ROTATE_90_COUNTERCLOCKWISE);
  const cv::Rect target(at.x, at.y - turned.rows, turned.cols, turned.rows);
  const cv::Rect inside = target & cv::Rect(0, 0, image.cols, image.rows);
  if (inside.area() > 0)
    turned(cv::Rect(inside.x - target.x, inside.y - target.y, inside.width, inside.height))
        .copyTo(image(inside));
}

bool save(const cv::Mat& image, const std::filesystem::path& file, std::string& error) {
  try {
    if (cv::imwrite(file.string(), image))
      return true;
    error = "cannot write " + file.string();
  } catch (const cv::Exception& exception) {
    error = "cannot write " + file.string() + ": " + exception.what();
  }
  return false;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) bool ea_plots_line_chart(
    const LineChart& chart, const std::filesystem::path& file, std::string& error) noexcept {
  try {
    const int width = 900, height = 700, left = 80, right = 260, top = 60, bottom = 70;
    cv::Mat image(height, width, CV_8UC3, kWhite);
    const cv::Rect plot(left, top, width - left - right, height - top - bottom);
    const auto to_pixel = [&](double x, double y) {
      return cv::Point(plot.x + static_cast<int>(std::lround(x * plot.width)),
                       plot.y + plot.height - static_cast<int>(std::lround(y * plot.height)));
    };
    for (int i = 0; i <= 10; ++i) {
      const double v = i / 10.0;
      cv::line(image, to_pixel(v, 0), to_pixel(v, 1), kGrid, 1);
      cv::line(image, to_pixel(0, v), to_pixel(1, v), kGrid, 1);
      const std::string tick = cv::format("%.1f", v);
      const cv::Size size = text_size(tick, 0.45);
      text(image, tick, to_pixel(v, 0) + cv::Point(-size.width / 2, size.height + 10), 0.45);
      text(image, tick, to_pixel(0, v) + cv::Point(-size.width - 10, size.height / 2), 0.45);
      cv::line(image, to_pixel(v, 0), to_pixel(v, 0) + cv::Point(0, 5), kBlack, 1);
      cv::line(image, to_pixel(0, v), to_pixel(0, v) - cv::Point(5, 0), kBlack, 1);
    }
    cv::rectangle(image, plot, kBlack, 1);
    const cv::Size title = text_size(chart.title, 0.7, 2);
    text(image, chart.title, {plot.x + (plot.width - title.width) / 2, top - 22}, 0.7, 2);
    const cv::Size x_label = text_size(chart.x_label, 0.6);
    text(image, chart.x_label, {plot.x + (plot.width - x_label.width) / 2, height - 20}, 0.6);
    const cv::Size y_label = text_size(chart.y_label, 0.6);
    vertical_text(image, chart.y_label, {12, plot.y + (plot.height + y_label.width) / 2}, 0.6);

    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const auto& series = chart.series[s];
      std::vector<cv::Point> points;
      for (std::size_t i = 0; i < std::min(series.x.size(), series.y.size()); ++i)
        points.push_back(
            to_pixel(std::clamp(series.x[i], 0.0, 1.0), std::clamp(series.y[i], 0.0, 1.0)));
      const cv::Scalar& colour = kPalette[s % kPalette.size()];
      cv::polylines(image, points, false, colour, 2, cv::LINE_AA);
      // Legend on the right, one row per series.
      const int row = top + 10 + static_cast<int>(s) * 24;
      cv::line(image, {plot.x + plot.width + 15, row}, {plot.x + plot.width + 45, row}, colour, 3);
      std::string label = series.label;
      if (label.size() > 24)
        label = label.substr(0, 23) + "~";
      text(image, label, {plot.x + plot.width + 52, row + 5}, 0.45);
    }
    return save(image, file, error);
  } catch (const std::exception& exception) {
    error = std::string("cannot draw a chart: ") + exception.what();
    return false;
  }
}

extern "C" __attribute__((visibility("default"))) bool ea_plots_heat_map(
    const HeatMap& map, const std::filesystem::path& file, std::string& error) noexcept {
  try {
    const int n = static_cast<int>(map.names.size());
    const int cell = std::clamp(760 / std::max(n, 1), 14, 60);
    int name_width = 0;
    for (const auto& name : map.names)
      name_width = std::max(name_width, text_size(name, 0.45).width);
    const int left = name_width + 50, top = name_width + 70;
    const int width = left + n * cell + 30, height = top + n * cell + 30;
    cv::Mat image(height, width, CV_8UC3, kWhite);
    text(image, map.title, {10, 28}, 0.65, 2);
    std::uint64_t peak = 1;
    for (int r = 0; r < n; ++r) {
      std::uint64_t row_total = 0;
      for (int c = 0; c < n; ++c)
        row_total += map.counts[static_cast<std::size_t>(r * n + c)];
      for (int c = 0; c < n; ++c) {
        const std::uint64_t count = map.counts[static_cast<std::size_t>(r * n + c)];
        peak = std::max(peak, count);
        // Shade by the share of the row (what fraction of a class's labels went where).
        const double share = row_total > 0 ? static_cast<double>(count) / row_total : 0;
        const cv::Scalar colour(255 - 150 * share, 255 - 200 * share, 255 - 255 * share);
        const cv::Rect box(left + c * cell, top + r * cell, cell, cell);
        cv::rectangle(image, box, colour, cv::FILLED);
        cv::rectangle(image, box, kGrid, 1);
        if (count > 0 && cell >= 24) {
          const std::string label = std::to_string(count);
          const double scale = cell >= 40 ? 0.45 : 0.32;
          const cv::Size size = text_size(label, scale);
          text(image, label, {box.x + (cell - size.width) / 2, box.y + (cell + size.height) / 2},
               scale, 1, share > 0.6 ? kWhite : kBlack);
        }
      }
    }
    for (int i = 0; i < n; ++i) {
      const std::string& name = map.names[static_cast<std::size_t>(i)];
      const cv::Size size = text_size(name, 0.45);
      text(image, name, {left - size.width - 8, top + i * cell + (cell + size.height) / 2}, 0.45);
      vertical_text(image, name, {left + i * cell + (cell - size.height) / 2 - 4, top - 8}, 0.45);
    }
    vertical_text(image, map.row_label, {8, top + n * cell / 2 + 60}, 0.55);
    text(image, map.column_label, {left, 52}, 0.55);
    return save(image, file, error);
  } catch (const std::exception& exception) {
    error = std::string("cannot draw a heat map: ") + exception.what();
    return false;
  }
}
