// SPDX-License-Identifier: Apache-2.0
// Polygon and box rasterisation and mask merging with pycocotools' maskApi arithmetic, step for
// step: segm evaluation compares masks, and a pixel of difference moves an IoU.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "ea/sdk/rle.hpp"

namespace ea::sdk {

namespace {

// Where the boundary crosses the centre of pixel column `column`: a run starts at `row`.
struct Crossing {
  std::uint32_t column;
  std::uint32_t row;
};

// The crossings as column-major pixel offsets, in order. A boundary crosses each column only a
// few times, so they are bucketed by column and each bucket sorted by row: linear, where a
// comparison sort of the offsets was a third of rasterising.
std::vector<std::uint32_t> run_starts(const std::vector<Crossing>& crossings,
                                      std::uint32_t height) {
  std::vector<std::uint32_t> starts;
  starts.reserve(crossings.size() + 1);
  if (crossings.empty())
    return starts;
  const auto [low, high] =
      std::minmax_element(crossings.begin(), crossings.end(),
                          [](const Crossing& a, const Crossing& b) { return a.column < b.column; });
  const std::uint32_t first_column = low->column;
  std::vector<std::uint32_t> bucket_end(std::size_t{high->column} - first_column + 1, 0);
  for (const Crossing& crossing : crossings)
    ++bucket_end[crossing.column - first_column];
  std::partial_sum(bucket_end.begin(), bucket_end.end(), bucket_end.begin());
  std::vector<std::uint32_t> rows(crossings.size());
  for (auto crossing = crossings.rbegin(); crossing != crossings.rend(); ++crossing)
    rows[--bucket_end[crossing->column - first_column]] = crossing->row;
  // bucket_end now holds where each bucket begins.
  for (std::size_t bucket = 0; bucket < bucket_end.size(); ++bucket) {
    const auto begin = rows.begin() + bucket_end[bucket];
    const auto end =
        bucket + 1 < bucket_end.size() ? rows.begin() + bucket_end[bucket + 1] : rows.end();
    std::sort(begin, end);
    const std::uint32_t column_start = (first_column + static_cast<std::uint32_t>(bucket)) * height;
    for (auto row = begin; row != end; ++row)
      starts.push_back(column_start + *row);
  }
  return starts;
}

}  // namespace

Rle rle_from_polygon(std::span<const double> xy, std::uint32_t height, std::uint32_t width) {
  constexpr double kScale = 5;
  const std::size_t corners = xy.size() / 2;
  Rle rle{height, width, {}};
  if (corners == 0) {
    rle.counts.push_back(height * width);
    return rle;
  }
  // Corners on a 5× grid; (int) truncates toward zero as in C.
  std::vector<int> x(corners + 1), y(corners + 1);
  for (std::size_t j = 0; j < corners; ++j) {
    x[j] = static_cast<int>(kScale * xy[j * 2] + .5);
    y[j] = static_cast<int>(kScale * xy[j * 2 + 1] + .5);
  }
  x[corners] = x[0];
  y[corners] = y[0];

  // The boundary runs through grid points (pycocotools walks each edge along its longer axis).
  // A run starts where it steps from one grid column to the next across a pixel column's
  // centre: grid column c maps to pixel (c + .5) / 5 - .5, and whole pixels inside the image are
  // exactly the c = 5k + 2 with 0 <= k < width; grid row r maps to ceil((r - 2) / 5), clamped to
  // [0, height]. These integer forms give the doubles' results exactly. Consecutive edges share
  // their corner, so no step joins two edges (but left of the image, where nothing counts), and
  // the crossings' order does not matter: run_starts sorts them.
  std::size_t points = 0;
  for (std::size_t j = 0; j < corners; ++j)
    points +=
        static_cast<std::size_t>(std::max(std::abs(x[j + 1] - x[j]), std::abs(y[j + 1] - y[j]))) +
        1;
  std::vector<Crossing> crossings;
  crossings.reserve(points / 5 + 1);  // a crossing needs a step to another column: 5 grid points
  // A step whose lower grid column is `column` and whose upper end lies in grid row `row`.
  const auto step = [&](int column, int row) {
    if (column >= 2 && (column - 2) % 5 == 0 &&
        static_cast<std::uint32_t>((column - 2) / 5) < width) {
      const std::uint32_t pixel_row =
          row <= 2 ? 0u : std::min(static_cast<std::uint32_t>((row + 2) / 5), height);
      crossings.push_back({static_cast<std::uint32_t>((column - 2) / 5), pixel_row});
    }
  };
  for (std::size_t j = 0; j < corners; ++j) {
    int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
    const int dx = std::abs(xe - xs), dy = std::abs(ys - ye);
    const bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      std::swap(xs, xe);
      std::swap(ys, ye);
    }
    const double slope =
        dx >= dy ? static_cast<double>(ye - ys) / dx : static_cast<double>(xe - xs) / dy;
    if (dx >= dy) {
      // Grid column xs + t at every t: only the steps from a column 5k + 2 can cross a centre.
      const auto row_at = [&](int t) { return static_cast<int>(ys + slope * t + .5); };
      for (int t = ((2 - xs) % 5 + 5) % 5; t < dx; t += 5)
        step(xs + t, std::min(row_at(t), row_at(t + 1)));
    } else {
      // Grid row ys + t at every t, in pycocotools' order; the column changes now and then.
      int previous_u = 0, previous_v = 0;
      for (int d = 0; d <= dy; ++d) {
        const int t = flip ? dy - d : d;
        const int u = static_cast<int>(xs + slope * t + .5), v = t + ys;
        if (d > 0 && u != previous_u)
          step(u < previous_u ? u : u - 1, std::min(v, previous_v));
        previous_u = u;
        previous_v = v;
      }
    }
  }
  std::vector<std::uint32_t> starts = run_starts(crossings, height);
  starts.push_back(height * width);

  // Differences between crossings are the runs; empty runs fold into their neighbour.
  std::uint32_t previous = 0;
  for (std::uint32_t& start : starts) {
    const std::uint32_t at = start;
    start -= previous;
    previous = at;
  }
  std::size_t j = 0;
  rle.counts.reserve(starts.size());
  rle.counts.push_back(starts[j++]);
  while (j < starts.size()) {
    if (starts[j] > 0) {
      rle.counts.push_back(starts[j++]);
    } else {
      ++j;
      if (j < starts.size())
        rle.counts.back() += starts[j++];
    }
  }
  return rle;
}

Rle rle_from_box(const BoundingBox& box, std::uint32_t height, std::uint32_t width) {
  const double x1 = box.x, y1 = box.y, x2 = box.x + box.w, y2 = box.y + box.h;
  const double corners[] = {x1, y1, x1, y2, x2, y2, x2, y1};
  return rle_from_polygon(corners, height, width);
}

Rle rle_merge(std::span<const Rle> masks, bool intersect) {
  if (masks.empty())
    return Rle{};
  if (masks.size() == 1)
    return masks.front();
  const std::uint32_t height = masks.front().height, width = masks.front().width;
  std::vector<std::uint32_t> merged = masks.front().counts;
  for (std::size_t i = 1; i < masks.size(); ++i) {
    const Rle& b = masks[i];
    if (b.height != height || b.width != width)
      return Rle{};
    const std::vector<std::uint32_t> a = std::move(merged);
    merged.clear();
    std::uint32_t ca = a.empty() ? 0 : a[0], cb = b.counts.empty() ? 0 : b.counts[0];
    bool va = false, vb = false, value = false;
    std::size_t ia = 1, ib = 1;
    std::uint32_t run = 0, remaining = 1;
    while (remaining > 0) {
      const std::uint32_t step = std::min(ca, cb);
      run += step;
      remaining = 0;
      ca -= step;
      if (ca == 0 && ia < a.size()) {
        ca = a[ia++];
        va = !va;
      }
      remaining += ca;
      cb -= step;
      if (cb == 0 && ib < b.counts.size()) {
        cb = b.counts[ib++];
        vb = !vb;
      }
      remaining += cb;
      const bool before = value;
      value = intersect ? (va && vb) : (va || vb);
      if (value != before || remaining == 0) {
        merged.push_back(run);
        run = 0;
      }
    }
  }
  return Rle{height, width, std::move(merged)};
}

}  // namespace ea::sdk
