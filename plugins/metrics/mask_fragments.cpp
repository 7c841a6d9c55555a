// SPDX-License-Identifier: Apache-2.0
#include "mask_fragments.hpp"

#include <numeric>
#include <vector>

namespace ea::metrics {

namespace {

// A vertical run of set pixels in one column, rows top..bottom inclusive.
struct Segment {
  std::uint32_t column, top, bottom;
};

// Union-find over segment indices, with path halving.
class Components {
 public:
  explicit Components(std::size_t count) : parent_(count) {
    std::iota(parent_.begin(), parent_.end(), std::size_t{0});
  }
  std::size_t root(std::size_t at) {
    while (parent_[at] != at)
      at = parent_[at] = parent_[parent_[at]];
    return at;
  }
  void join(std::size_t a, std::size_t b) { parent_[root(a)] = root(b); }

 private:
  std::vector<std::size_t> parent_;
};

std::vector<Segment> segments_of(const sdk::Rle& mask) {
  std::vector<Segment> segments;
  if (mask.height == 0)
    return segments;
  std::uint64_t position = 0;
  for (std::size_t i = 0; i < mask.counts.size(); ++i) {
    const std::uint64_t end = position + mask.counts[i];
    // A run may flow from the bottom of one column into the top of the next: split it.
    for (std::uint64_t at = position; i % 2 == 1 && at < end;) {
      const auto column = static_cast<std::uint32_t>(at / mask.height);
      const std::uint64_t column_end = std::min<std::uint64_t>(end, (column + 1ull) * mask.height);
      segments.push_back(Segment{column, static_cast<std::uint32_t>(at % mask.height),
                                 static_cast<std::uint32_t>((column_end - 1) % mask.height)});
      at = column_end;
    }
    position = end;
  }
  return segments;
}

}  // namespace

std::uint32_t count_fragments(const sdk::Rle& mask) {
  const std::vector<Segment> segments = segments_of(mask);
  Components components(segments.size());
  // Segments come column by column, top to bottom: sweep each column against the one before.
  std::size_t previous = 0;  // first segment of the previous column
  std::size_t current = 0;   // first segment of the current column
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0 && segments[i].column != segments[i - 1].column) {
      previous = segments[i - 1].column + 1 == segments[i].column ? current : i;
      current = i;
    }
    for (std::size_t j = previous; j < current; ++j) {
      // Rows touch, diagonals included.
      if (segments[j].top <= segments[i].bottom + 1 && segments[i].top <= segments[j].bottom + 1)
        components.join(i, j);
    }
  }
  std::uint32_t count = 0;
  for (std::size_t i = 0; i < segments.size(); ++i)
    count += components.root(i) == i;
  return count;
}

}  // namespace ea::metrics
