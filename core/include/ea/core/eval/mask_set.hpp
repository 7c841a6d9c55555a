// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "ea/sdk/geometry.hpp"
#include "ea/sdk/iou.hpp"

namespace ea::core::eval {

/// The masks of an evaluation, measured once (tight box, area). Their runs live in a few large
/// blocks instead of one allocation each: decoding 50,000 masks into separate vectors spent a
/// quarter of the reading in the allocator, growing heaps a page at a time, and page faults.
class MaskSet {
 public:
  /// Expects `count` masks more (saves regrowing the list of masks).
  void reserve(std::size_t count) { masks_.reserve(masks_.size() + count); }

  /// Room for `count` runs, valid while the set lives. Write the runs, then add() them.
  std::span<std::uint32_t> room(std::size_t count);

  /// Adds a mask whose runs are in room() given out by this set; `box` is its tight box when the
  /// caller knows it, else it is computed. Returns the mask's index.
  std::uint32_t add(std::uint32_t height, std::uint32_t width, std::span<const std::uint32_t> runs,
                    const sdk::BoundingBox* box = nullptr);
  /// Adds a copy of `rle`, as add() does.
  std::uint32_t add(const sdk::Rle& rle, const sdk::BoundingBox* box = nullptr);

  /// Moves `other`'s masks to the end of this set; their indices grow by the size before.
  void append(MaskSet&& other);

  /// Mask `index`.
  const sdk::MeasuredMask& operator[](std::uint32_t index) const { return masks_[index]; }
  /// How many masks the set holds.
  std::size_t size() const { return masks_.size(); }

 private:
  std::vector<std::unique_ptr<std::uint32_t[]>> blocks_;
  std::size_t block_used_ = 0;      // runs used in the last block
  std::size_t block_capacity_ = 0;  // runs the last block holds
  std::vector<sdk::MeasuredMask> masks_;
};

}  // namespace ea::core::eval
