// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace ea::sdk {

/// How the coordinates of a geometry are expressed.
enum class Units {
  relative,  ///< divided by the image width and height, in [0,1] (Encord Active's convention)
  pixels,    ///< absolute pixels, as COCO and KITTI write them
};

/// A box by its top-left corner and size, rotated by `theta` degrees about its centre.
struct BoundingBox {
  double x = 0;      ///< left edge
  double y = 0;      ///< top edge
  double w = 0;      ///< width
  double h = 0;      ///< height
  double theta = 0;  ///< rotation in degrees; 0 for an axis-aligned box
};

/// A point of a polygon.
struct Point {
  double x = 0;  ///< horizontal coordinate
  double y = 0;  ///< vertical coordinate
};

/// One closed ring of a polygon (the last point connects to the first).
using Ring = std::vector<Point>;

/// A polygon of one or more rings; a multi-part object stays one Polygon.
struct Polygon {
  std::vector<Ring> rings;  ///< the parts, each with at least three points
};

/// A binary mask as COCO run-length encoding: column-major runs that alternate 0s and 1s,
/// starting with 0s, at the resolution of its image.
struct Rle {
  std::uint32_t height = 0;           ///< rows of the mask
  std::uint32_t width = 0;            ///< columns of the mask
  std::vector<std::uint32_t> counts;  ///< run lengths; they add up to height × width
};

/// A read-only view of a mask's runs, held by an Rle or by a caller's own storage (an
/// evaluation keeps the runs of all its masks in a few large blocks).
struct RleView {
  std::uint32_t height = 0;               ///< rows of the mask
  std::uint32_t width = 0;                ///< columns of the mask
  std::span<const std::uint32_t> counts;  ///< run lengths as in Rle::counts

  RleView() = default;
  /// Views runs kept elsewhere.
  RleView(std::uint32_t rows, std::uint32_t columns, std::span<const std::uint32_t> runs)
      : height(rows), width(columns), counts(runs) {}
  /// Views an Rle (implicit: every function taking a view takes an Rle as well).
  RleView(const Rle& rle) : height(rle.height), width(rle.width), counts(rle.counts) {}
};

}  // namespace ea::sdk
