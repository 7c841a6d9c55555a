// SPDX-License-Identifier: Apache-2.0
// The masks plugin's pieces that need no image decoding: instances of a label map as COCO RLE
// (hand-computed), and the ordered, bounded worker pipeline.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "mask_instances.hpp"
#include "ordered_pipeline.hpp"

namespace ea::masks {

TEST_CASE("a label map gives one column-major RLE per id, holes and parts included") {
  // 4 wide, 3 high:      column-major positions (x·3 + y):
  //   1 1 0 2            0 3 6 9
  //   1 0 0 2            1 4 7 10
  //   0 1 0 2            2 5 8 11
  Scratch scratch;
  scratch.image = MaskImage{4, 3, PixelLayout::gray16, {1, 1, 0, 2, 1, 0, 0, 2, 0, 1, 0, 2}};
  const Instances instances = instances_by_value(scratch);
  REQUIRE(instances.found.size() == 2);
  // Id 1 sits at positions 0, 1, 3 and 5: runs 0 zeros, 2 ones, 1 zero, 1 one, 1 zero, 1 one, 6.
  CHECK(instances.found[0].key == 1);
  CHECK(instances.found[0].mask.counts == std::vector<std::uint32_t>{0, 2, 1, 1, 1, 1, 6});
  CHECK(instances.found[0].area == 4);
  // Id 2 is the last column: 9 zeros, 3 ones.
  CHECK(instances.found[1].key == 2);
  CHECK(instances.found[1].mask.counts == std::vector<std::uint32_t>{9, 3});
  CHECK(instances.found[1].area == 3);
  CHECK(instances.found[1].mask.height == 3);
  CHECK(instances.found[1].mask.width == 4);
}

TEST_CASE("a run that ends a column and starts the next one stays one run") {
  // 2 wide, 2 high, id 5 at (0,1) and (1,0): positions 1 and 2 are consecutive.
  Scratch scratch;
  scratch.image = MaskImage{2, 2, PixelLayout::gray8, {0, 5, 5, 0}};
  const Instances instances = instances_by_value(scratch);
  REQUIRE(instances.found.size() == 1);
  CHECK(instances.found[0].mask.counts == std::vector<std::uint32_t>{1, 2, 1});
}

TEST_CASE("the pipeline hands results over in order, with a bounded number in flight") {
  std::atomic<int> in_flight{0};
  std::atomic<int> most{0};
  std::vector<std::size_t> seen;
  run_in_order<std::size_t>(
      50, 2, 4,
      [&](unsigned, std::size_t item) {
        const int now = ++in_flight;
        for (int before = most.load(); now > before && !most.compare_exchange_weak(before, now);) {
        }
        // Later items finish first now and then, so order must be restored.
        std::this_thread::sleep_for(std::chrono::microseconds(item % 3 == 0 ? 300 : 10));
        return item;
      },
      [&](std::size_t item, std::size_t result) {
        --in_flight;
        CHECK(item == result);
        seen.push_back(item);
      });
  REQUIRE(seen.size() == 50);
  for (std::size_t i = 0; i < seen.size(); ++i)
    CHECK(seen[i] == i);
  CHECK(most.load() <= 4 + 1);  // the window, and the one being consumed
}

TEST_CASE("a failing item stops the pipeline when its turn comes") {
  std::vector<std::size_t> seen;
  const auto run = [&] {
    run_in_order<std::size_t>(
        20, 2, 3,
        [](unsigned, std::size_t item) {
          if (item == 7)
            throw std::runtime_error("item 7 is broken");
          return item;
        },
        [&](std::size_t item, std::size_t) { seen.push_back(item); });
  };
  CHECK_THROWS_WITH(run(), "item 7 is broken");
  CHECK(seen.size() == 7);  // items 0..6, in order, and nothing after the failure
}

}  // namespace ea::masks
