// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/mask_set.hpp"

#include <algorithm>
#include <iterator>

#include "ea/sdk/rle.hpp"

namespace ea::core::eval {

namespace {

// Runs per block (4 MiB): large enough that the allocator maps each block on its own.
constexpr std::size_t kBlockRuns = std::size_t{1} << 20;

}  // namespace

std::span<std::uint32_t> MaskSet::room(std::size_t count) {
  if (block_capacity_ - block_used_ < count) {
    // A mask larger than a block gets a block of its own size; the rest of the old one is unused.
    block_capacity_ = std::max(kBlockRuns, count);
    // Not zeroed: every run given out is written before it is read.
    blocks_.push_back(std::make_unique_for_overwrite<std::uint32_t[]>(block_capacity_));
    block_used_ = 0;
  }
  const std::span<std::uint32_t> runs(blocks_.back().get() + block_used_, count);
  block_used_ += count;
  return runs;
}

std::uint32_t MaskSet::add(std::uint32_t height, std::uint32_t width,
                           std::span<const std::uint32_t> runs, const sdk::BoundingBox* box) {
  const sdk::RleView view(height, width, runs);
  masks_.push_back({view, box != nullptr ? *box : sdk::rle_bbox(view), sdk::rle_area(view)});
  return static_cast<std::uint32_t>(masks_.size() - 1);
}

std::uint32_t MaskSet::add(const sdk::Rle& rle, const sdk::BoundingBox* box) {
  const std::span<std::uint32_t> runs = room(rle.counts.size());
  std::copy(rle.counts.begin(), rle.counts.end(), runs.begin());
  return add(rle.height, rle.width, runs, box);
}

void MaskSet::append(MaskSet&& other) {
  // The views keep pointing into the blocks, which move without their contents moving.
  std::move(other.blocks_.begin(), other.blocks_.end(), std::back_inserter(blocks_));
  if (masks_.empty()) {
    masks_ = std::move(other.masks_);
  } else {
    masks_.insert(masks_.end(), other.masks_.begin(), other.masks_.end());
  }
  other.blocks_.clear();
  other.masks_.clear();
  // New room starts a new block: the last appended one may belong to a finished set's tail.
  block_used_ = block_capacity_ = 0;
}

}  // namespace ea::core::eval
