// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ea/sdk/iou.hpp"
#include "ea/sdk/rle.hpp"
#include "test_support.hpp"

TEST_CASE("compressed RLE decodes to pycocotools' areas and boxes and encodes back unchanged") {
  std::ifstream in(ea::test::data_dir() / "rle" / "panoptic_instance_masks.json");
  const auto index = nlohmann::json::parse(in);
  int checked = 0;
  for (const auto& image : index["images"]) {
    for (const auto& segment : image["segments"]) {
      const auto& rle = segment["rle"];
      const auto height = rle["size"][0].get<std::uint32_t>();
      const auto width = rle["size"][1].get<std::uint32_t>();
      const auto text = rle["counts"].get<std::string>();
      CAPTURE(segment["segment_id"]);
      const auto decoded = ea::sdk::rle_from_string(text, height, width);
      REQUIRE(decoded.has_value());
      CHECK(ea::sdk::rle_area(*decoded) == segment["area"].get<std::uint64_t>());
      const auto box = ea::sdk::rle_bbox(*decoded);
      CHECK(box.x == segment["bbox"][0].get<double>());
      CHECK(box.y == segment["bbox"][1].get<double>());
      CHECK(box.w == segment["bbox"][2].get<double>());
      CHECK(box.h == segment["bbox"][3].get<double>());
      CHECK(ea::sdk::rle_to_string(*decoded) == text);
      ++checked;
    }
  }
  CHECK(checked == 50);
}

TEST_CASE("row-major masks encode column-major, starting with zeros") {
  // 2 rows × 3 columns:  0 1 1
  //                      0 1 0
  const std::uint8_t pixels[] = {0, 1, 1, 0, 1, 0};
  const auto rle = ea::sdk::rle_from_row_major(pixels, 2, 3);
  CHECK(rle.counts == std::vector<std::uint32_t>{2, 3, 1});
  CHECK(ea::sdk::rle_area(rle) == 3);
  const auto box = ea::sdk::rle_bbox(rle);
  CHECK(box.x == 1);
  CHECK(box.y == 0);
  CHECK(box.w == 2);
  CHECK(box.h == 2);
  const auto round_trip = ea::sdk::rle_from_string(ea::sdk::rle_to_string(rle), 2, 3);
  REQUIRE(round_trip.has_value());
  CHECK(round_trip->counts == rle.counts);
}

TEST_CASE("malformed compressed RLE is refused") {
  CHECK_FALSE(ea::sdk::rle_from_string("", 2, 2).has_value());      // covers 0 of 4 pixels
  CHECK_FALSE(ea::sdk::rle_from_string("\x01", 2, 2).has_value());  // character out of range
  CHECK_FALSE(ea::sdk::rle_from_string("1", 4, 4).has_value());     // wrong total
  CHECK(ea::sdk::rle_from_string("04", 2, 2).has_value());          // 0 zeros, 4 ones
}

TEST_CASE("compressed RLE round-trips runs of every length, in the word-at-a-time decoder too") {
  // Runs from 1 to 2^31 give values of 1 to 7 characters, and the deltas between every other
  // run are negative as often as positive; one image of 2^32 - 1 pixels holds them all.
  std::mt19937 random(11);
  std::vector<std::uint32_t> counts{0};
  std::uint64_t total = 0;
  for (int i = 0; i < 400; ++i) {
    const int bits = static_cast<int>(random() % 31) + 1;
    const auto run = static_cast<std::uint32_t>(random() % (std::uint64_t{1} << bits)) + 1;
    if (total + run > 4'000'000'000)
      break;
    counts.push_back(run);
    total += run;
  }
  const ea::sdk::Rle rle{1, static_cast<std::uint32_t>(total), counts};
  const std::string text = ea::sdk::rle_to_string(rle);
  const auto decoded = ea::sdk::rle_from_string(text, 1, static_cast<std::uint32_t>(total));
  REQUIRE(decoded.has_value());
  CHECK(decoded->counts == counts);
  // A character out of range is found wherever it is: in an 8-character word or in the tail.
  for (const std::size_t at : {std::size_t{0}, std::size_t{5}, text.size() / 2, text.size() - 1}) {
    for (const char bad : {'\x2f', '\x70', '\x80'}) {
      std::string broken = text;
      broken[at] = bad;
      CAPTURE(at);
      CHECK_FALSE(ea::sdk::rle_from_string(broken, 1, static_cast<std::uint32_t>(total)));
    }
  }
}

TEST_CASE("a mask's box is pycocotools' rleToBbox for runs of every length, empty ones included") {
  // The plain form: column and row of each run's end by one division per run.
  const auto plain_box = [](const ea::sdk::Rle& rle) {
    const std::size_t runs = rle.counts.size() / 2 * 2;
    const std::int64_t h = rle.height;
    std::int64_t xs = rle.width, ys = h, xe = 0, ye = 0, cc = 0, xp = 0;
    for (std::size_t j = 0; j < runs; ++j) {
      cc += rle.counts[j];
      const std::int64_t t = cc - static_cast<std::int64_t>(j % 2);
      const std::int64_t y = t % h, x = t / h;
      if (j % 2 == 0) {
        xp = x;
      } else if (xp < x) {
        ys = 0;
        ye = h - 1;
      }
      xs = std::min(xs, x);
      xe = std::max(xe, x);
      ys = std::min(ys, y);
      ye = std::max(ye, y);
    }
    return std::array<double, 4>{static_cast<double>(xs), static_cast<double>(ys),
                                 static_cast<double>(xe - xs + 1),
                                 static_cast<double>(ye - ys + 1)};
  };
  std::mt19937 random(3);
  for (int mask = 0; mask < 3'000; ++mask) {
    const std::uint32_t height = 1 + random() % 40, width = 1 + random() % 40;
    std::vector<std::uint32_t> counts;
    std::uint32_t left = height * width;
    // Short runs, long jumps across several columns, and empty runs between them.
    while (left > 0) {
      const std::uint32_t kind = random() % 4;
      const std::uint32_t run = kind == 0 ? 0 : kind == 1 ? random() % 3 : random() % (3 * height);
      counts.push_back(std::min(run, left));
      left -= counts.back();
    }
    if (counts.size() < 2 || counts[1] == 0)
      continue;  // pycocotools' box of an empty mask is all zeros either way
    const ea::sdk::Rle rle{height, width, counts};
    const auto box = ea::sdk::rle_bbox(rle);
    CAPTURE(mask);
    CHECK(std::array<double, 4>{box.x, box.y, box.w, box.h} == plain_box(rle));
  }
}

TEST_CASE("mask IoU from runs of ones equals pycocotools' pixel-by-pixel merge, crowd or not") {
  // The plain form: walk both masks' runs together and count the pixels of either and of both.
  const auto plain_iou = [](const ea::sdk::Rle& d, const ea::sdk::Rle& g, bool crowd) {
    const auto pixels_of = [](const ea::sdk::Rle& rle) {
      std::vector<std::uint8_t> pixels;
      std::uint8_t value = 0;
      for (const std::uint32_t run : rle.counts) {
        pixels.insert(pixels.end(), run, value);
        value ^= 1;
      }
      return pixels;
    };
    const std::vector<std::uint8_t> a = pixels_of(d), b = pixels_of(g);
    std::uint64_t both = 0, either = 0, detection = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      both += a[i] & b[i];
      either += a[i] | b[i];
      detection += a[i];
    }
    if (both == 0)
      return 0.0;
    return static_cast<double>(both) / static_cast<double>(crowd ? detection : either);
  };
  std::mt19937 random(9);
  const auto random_mask = [&](std::uint32_t height, std::uint32_t width) {
    // As pycocotools encodes masks: only the first run (of zeros) may be empty.
    std::vector<std::uint32_t> counts{static_cast<std::uint32_t>(random() % 3 == 0 ? 0 : 1)};
    std::uint32_t left = height * width - counts.front();
    while (left > 0) {
      const std::uint32_t run = 1 + random() % (2 * height);
      counts.push_back(std::min(run, left));
      left -= counts.back();
    }
    return ea::sdk::Rle{height, width, counts};
  };
  for (int pair = 0; pair < 2'000; ++pair) {
    const std::uint32_t height = 1 + random() % 30, width = 1 + random() % 30;
    const ea::sdk::Rle d = random_mask(height, width), g = random_mask(height, width);
    const bool crowd = pair % 3 == 0;
    CAPTURE(pair);
    CHECK(ea::sdk::mask_iou(d, g, crowd) == plain_iou(d, g, crowd));
  }
}
