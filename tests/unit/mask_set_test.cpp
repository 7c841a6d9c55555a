// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "ea/core/eval/mask_set.hpp"
#include "ea/sdk/iou.hpp"
#include "ea/sdk/rle.hpp"

namespace {

// A mask of `runs` runs (an odd number, so it ends in zeros) filling a height × width image.
ea::sdk::Rle mask_of(std::mt19937& random, std::size_t runs) {
  ea::sdk::Rle rle{1000, 0, {}};
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < runs; ++i) {
    rle.counts.push_back(1 + random() % 50);
    total += rle.counts.back();
  }
  // Pad the last run of zeros to whole columns.
  const std::uint64_t padded = (total + rle.height - 1) / rle.height * rle.height;
  rle.counts.back() += static_cast<std::uint32_t>(padded - total);
  rle.width = static_cast<std::uint32_t>(padded / rle.height);
  return rle;
}

}  // namespace

TEST_CASE("a mask set keeps every mask's runs, box and area across blocks and appends") {
  std::mt19937 random(5);
  std::vector<ea::sdk::Rle> masks;
  ea::core::eval::MaskSet first, second;
  // 1,500 masks of ~1,000 runs fill more than one 1 Mi-run block in each set; one mask of
  // 1.5 Mi runs needs a block of its own.
  for (int i = 0; i < 3'000; ++i) {
    masks.push_back(mask_of(random, i == 1'234 ? (3u << 19) + 1 : 901 + 2 * (random() % 100)));
    ea::core::eval::MaskSet& set = i < 1'500 ? first : second;
    const ea::sdk::Rle& mask = masks.back();
    if (i % 2 == 0) {  // decoded into the set's room, as the store's masks are
      const std::string text = ea::sdk::rle_to_string(mask);
      const auto runs = ea::sdk::rle_string_runs(text);
      REQUIRE(runs == mask.counts.size());
      const auto room = set.room(*runs);
      REQUIRE(ea::sdk::rle_decode_into(text, mask.height, mask.width, room));
      const std::uint32_t index = set.add(mask.height, mask.width, room);
      CHECK(index == set.size() - 1);
    } else {
      const std::uint32_t index = set.add(mask);
      CHECK(index == set.size() - 1);
    }
  }
  first.append(std::move(second));
  CHECK(second.size() == 0);
  // Room given out after an append must not overwrite the appended masks.
  for (int i = 0; i < 20; ++i) {
    masks.push_back(mask_of(random, 2'001));
    const auto room = first.room(masks.back().counts.size());
    std::copy(masks.back().counts.begin(), masks.back().counts.end(), room.begin());
    first.add(masks.back().height, masks.back().width, room);
  }
  REQUIRE(first.size() == masks.size());
  for (std::size_t i = 0; i < masks.size(); ++i) {
    CAPTURE(i);
    const ea::sdk::MeasuredMask& kept = first[static_cast<std::uint32_t>(i)];
    CHECK(std::equal(kept.runs.counts.begin(), kept.runs.counts.end(), masks[i].counts.begin(),
                     masks[i].counts.end()));
    CHECK(kept.area == ea::sdk::rle_area(masks[i]));
    const ea::sdk::BoundingBox box = ea::sdk::rle_bbox(masks[i]);
    CHECK(
        (kept.box.x == box.x && kept.box.y == box.y && kept.box.w == box.w && kept.box.h == box.h));
  }
  // IoU of kept masks is the IoU of the masks themselves.
  for (std::size_t i = 0; i + 1 < masks.size(); i += 97) {
    if (masks[i].width != masks[i + 1].width)
      continue;
    CHECK(ea::sdk::mask_iou(first[static_cast<std::uint32_t>(i)],
                            first[static_cast<std::uint32_t>(i + 1)],
                            false) == ea::sdk::mask_iou(masks[i], masks[i + 1], false));
  }
}

TEST_CASE("decoding into room of the wrong size is refused") {
  const std::string text = ea::sdk::rle_to_string(ea::sdk::Rle{2, 2, {1, 2, 1}});
  std::vector<std::uint32_t> room(3);
  CHECK(ea::sdk::rle_decode_into(text, 2, 2, room));
  CHECK(room == std::vector<std::uint32_t>{1, 2, 1});
  std::vector<std::uint32_t> short_room(2), long_room(4);
  CHECK_FALSE(ea::sdk::rle_decode_into(text, 2, 2, short_room));
  CHECK_FALSE(ea::sdk::rle_decode_into(text, 2, 2, long_room));
  CHECK_FALSE(ea::sdk::rle_decode_into(text, 3, 2, room));  // runs do not fill 3 × 2
}
