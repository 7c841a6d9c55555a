// SPDX-License-Identifier: Apache-2.0
// Polygon and box rasterisation and mask merging with pycocotools' maskApi arithmetic, step for
// step: segm evaluation compares masks, and a pixel of difference moves an IoU.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "ea/sdk/rle.hpp"

namespace ea::sdk {

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

  // Every grid point along the boundary (sized first: growing these dominated rasterising).
  std::size_t points = 0;
  for (std::size_t j = 0; j < corners; ++j)
    points +=
        static_cast<std::size_t>(std::max(std::abs(x[j + 1] - x[j]), std::abs(y[j + 1] - y[j]))) +
        1;
  std::vector<int> u, v;
  u.reserve(points);
  v.reserve(points);
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
      for (int d = 0; d <= dx; ++d) {
        const int t = flip ? dx - d : d;
        u.push_back(t + xs);
        v.push_back(static_cast<int>(ys + slope * t + .5));
      }
    } else {
      for (int d = 0; d <= dy; ++d) {
        const int t = flip ? dy - d : d;
        v.push_back(t + ys);
        u.push_back(static_cast<int>(xs + slope * t + .5));
      }
    }
  }

  // Where the boundary crosses a pixel column centre, back on the pixel grid.
  std::vector<std::uint32_t> starts;
  starts.reserve(u.size() / 5 + 2);  // a crossing needs a step to another column: 5 grid points
  for (std::size_t j = 1; j < u.size(); ++j) {
    if (u[j] == u[j - 1])
      continue;
    double xd = static_cast<double>(u[j] < u[j - 1] ? u[j] : u[j] - 1);
    xd = (xd + .5) / kScale - .5;
    if (std::floor(xd) != xd || xd < 0 || xd > static_cast<double>(width) - 1)
      continue;
    double yd = static_cast<double>(v[j] < v[j - 1] ? v[j] : v[j - 1]);
    yd = (yd + .5) / kScale - .5;
    if (yd < 0) {
      yd = 0;
    } else if (yd > height) {
      yd = height;
    }
    yd = std::ceil(yd);
    starts.push_back(static_cast<std::uint32_t>(static_cast<int>(xd) * static_cast<int>(height) +
                                                static_cast<int>(yd)));
  }
  starts.push_back(height * width);
  std::sort(starts.begin(), starts.end());

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
