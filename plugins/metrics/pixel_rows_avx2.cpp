// SPDX-License-Identifier: Apache-2.0
// The AVX2 form of the pixel loops: 8 to 32 pixels a step. Compiled for AVX2 function by function
// (the plugin itself targets plain x86-64) and called only after the processor said it has AVX2.
#include "pixel_rows.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ea::metrics::pixel_rows {

#if defined(__x86_64__)

namespace {

#define EA_AVX2 __attribute__((target("avx2")))

// Shuffles that spread channel `c` of 4 RGB pixels at the start of each half into 32-bit lanes.
EA_AVX2 __m256i channel(char c) {
  constexpr char z = -1;  // a zero byte
  return _mm256_setr_epi8(c, z, z, z, char(c + 3), z, z, z, char(c + 6), z, z, z, char(c + 9), z, z,
                          z, c, z, z, z, char(c + 3), z, z, z, char(c + 6), z, z, z, char(c + 9), z,
                          z, z);
}

// Stores the low bytes of 8 lanes of 0..255.
EA_AVX2 void store_bytes(std::uint8_t* at, __m256i values) {
  const __m256i words = _mm256_packs_epi32(values, values);
  const __m256i bytes = _mm256_packus_epi16(words, words);
  const __m256i together =
      _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(at), _mm256_castsi256_si128(together));
}

// The sum of 8 32-bit lanes.
EA_AVX2 std::int64_t sum_lanes(__m256i values) {
  const __m256i wide = _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(values)),
                                        _mm256_cvtepi32_epi64(_mm256_extracti128_si256(values, 1)));
  const __m128i pair =
      _mm_add_epi64(_mm256_castsi256_si128(wide), _mm256_extracti128_si256(wide, 1));
  return _mm_cvtsi128_si64(pair) + _mm_extract_epi64(pair, 1);
}

// Moves 32-bit lane sums into their 64-bit total.
EA_AVX2 void flush(__m256i& sums, std::int64_t& total) {
  total += sum_lanes(sums);
  sums = _mm256_setzero_si256();
}

// Steps whose 32-bit sums stay far below 2^31 (a lane gains at most 2 × 1020² a step).
constexpr int kStepsPerFlush = 512;

EA_AVX2 void colour_row(const std::uint8_t* rgb, std::uint32_t width, std::uint8_t* luma,
                        std::uint8_t* saturation, IntegerSums& totals) {
  // Pixels 0–3 of a step go to the lower half of a register and 4–7 to the upper one (bytes 0–15
  // and 12–27), where one byte shuffle per channel spreads them into 32-bit lanes.
  const __m256i halves = _mm256_setr_epi32(0, 1, 2, 3, 3, 4, 5, 6);
  const __m256i red = channel(0), green = channel(1), blue = channel(2);
  const __m256i red_green_weights = _mm256_set1_epi32(587 << 16 | 299);
  const __m256i blue_weight = _mm256_set1_epi32(114);
  __m256i luma_sum = _mm256_setzero_si256(), luma2_sum = luma_sum, saturation_sum = luma_sum;
  std::uint32_t x = 0;
  int steps = 0;
  // A step loads 32 bytes, 8 past its 8 pixels: the last steps are left to the portable loop.
  for (; x + 11 <= width; x += 8) {
    const __m256i bytes = _mm256_permutevar8x32_epi32(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rgb + 3 * std::size_t{x})), halves);
    const __m256i r = _mm256_shuffle_epi8(bytes, red);
    const __m256i g = _mm256_shuffle_epi8(bytes, green);
    const __m256i b = _mm256_shuffle_epi8(bytes, blue);
    // 299 R + 587 G + 114 B + 500 as two multiply-adds of 16-bit pairs, then luma_of's float
    // steps exactly (no fused multiply-add, which would round differently).
    const __m256i weighted = _mm256_add_epi32(
        _mm256_add_epi32(
            _mm256_madd_epi16(_mm256_or_si256(r, _mm256_slli_epi32(g, 16)), red_green_weights),
            _mm256_madd_epi16(b, blue_weight)),
        _mm256_set1_epi32(500));
    const __m256 scaled = _mm256_mul_ps(
        _mm256_add_ps(_mm256_cvtepi32_ps(weighted), _mm256_set1_ps(0.5f)), _mm256_set1_ps(0.001f));
    const __m256i gray = _mm256_cvttps_epi32(scaled);
    store_bytes(luma + x, gray);
    luma_sum = _mm256_add_epi32(luma_sum, gray);
    luma2_sum = _mm256_add_epi32(luma2_sum, _mm256_madd_epi16(gray, gray));
    // (255 spread + high ÷ 2) ÷ high: a float division is exact here, as every numerator and
    // divisor is an integer below 2^24 and a quotient that is not whole lies at least 1 ÷ 255
    // from the next integer, far beyond the division's rounding (a test checks every colour).
    const __m256i high = _mm256_max_epi32(r, _mm256_max_epi32(g, b));
    const __m256i spread = _mm256_sub_epi32(high, _mm256_min_epi32(r, _mm256_min_epi32(g, b)));
    const __m256i numerator = _mm256_add_epi32(
        _mm256_sub_epi32(_mm256_slli_epi32(spread, 8), spread), _mm256_srli_epi32(high, 1));
    const __m256 divisor = _mm256_cvtepi32_ps(_mm256_max_epi32(high, _mm256_set1_epi32(1)));
    const __m256i saturated =
        _mm256_cvttps_epi32(_mm256_div_ps(_mm256_cvtepi32_ps(numerator), divisor));
    store_bytes(saturation + x, saturated);
    saturation_sum = _mm256_add_epi32(saturation_sum, saturated);
    if (++steps == kStepsPerFlush || x + 19 > width) {
      flush(luma_sum, totals.luma);
      flush(luma2_sum, totals.luma2);
      flush(saturation_sum, totals.saturation);
      steps = 0;
    }
  }
  portable_kernel().colour_row(rgb + 3 * std::size_t{x}, width - x, luma + x, saturation + x,
                               totals);
}

EA_AVX2 __m256i widen(const std::uint8_t* at) {
  return _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(at)));
}

EA_AVX2 void laplacian_row(const std::uint8_t* above, const std::uint8_t* centre,
                           const std::uint8_t* below, std::uint32_t width, std::int16_t* laplacian,
                           IntegerSums& totals) {
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i sum = _mm256_setzero_si256(), sum2 = sum;
  std::uint32_t x = 1;
  int steps = 0;
  // A step reads 16 pixels and their right neighbours, all left of the row's last pixel.
  for (; x + 17 <= width; x += 16) {
    const __m256i edges = _mm256_sub_epi16(
        _mm256_add_epi16(_mm256_add_epi16(widen(centre + x - 1), widen(centre + x + 1)),
                         _mm256_add_epi16(widen(above + x), widen(below + x))),
        _mm256_slli_epi16(widen(centre + x), 2));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(laplacian + x), edges);
    sum = _mm256_add_epi32(sum, _mm256_madd_epi16(edges, ones));
    sum2 = _mm256_add_epi32(sum2, _mm256_madd_epi16(edges, edges));
    if (++steps == kStepsPerFlush || x + 33 > width) {
      flush(sum, totals.laplacian);
      flush(sum2, totals.laplacian2);
      steps = 0;
    }
  }
  for (; x + 1 < width; ++x) {
    const auto value = static_cast<std::int16_t>(centre[x - 1] + centre[x + 1] + above[x] +
                                                 below[x] - 4 * centre[x]);
    laplacian[x] = value;
    totals.laplacian += value;
    totals.laplacian2 += value * value;
  }
  laplacian[0] = 0;
  if (width > 1)
    laplacian[width - 1] = 0;
}

// Sums of a rectangle in registers: luma and saturation as 64-bit sums of absolute differences
// with 0; squares and the Laplacian as 32-bit multiply-add sums, which are moved into 64 bits
// before they can overflow.
class RectangleSums {
 public:
  EA_AVX2 RectangleSums()
      : luma_(_mm256_setzero_si256()),
        saturation_(luma_),
        luma2_(luma_),
        laplacian_(luma_),
        laplacian2_(luma_),
        wide_luma2_(luma_),
        wide_laplacian_(luma_),
        wide_laplacian2_(luma_) {}

  // Adds 32 pixels.
  EA_AVX2 void add(const std::uint8_t* luma, const std::uint8_t* saturation,
                   const std::int16_t* laplacian) {
    accumulate(load(luma), load(saturation), load(laplacian), load(laplacian + 16));
  }

  // Adds the pixels of a step of 32 that `keep` keeps (a byte mask, all ones for a kept pixel).
  EA_AVX2 void add(const std::uint8_t* luma, const std::uint8_t* saturation,
                   const std::int16_t* laplacian, __m256i keep) {
    // The byte mask, widened, keeps the same pixels of the two 16-pixel halves of the Laplacian.
    const __m256i keep_first = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(keep));
    const __m256i keep_second = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(keep, 1));
    accumulate(_mm256_and_si256(load(luma), keep), _mm256_and_si256(load(saturation), keep),
               _mm256_and_si256(load(laplacian), keep_first),
               _mm256_and_si256(load(laplacian + 16), keep_second));
  }

  // The sums so far.
  EA_AVX2 IntegerSums total() {
    widen_all();
    IntegerSums sums;
    sums.luma = horizontal(luma_);
    sums.saturation = horizontal(saturation_);
    sums.luma2 = horizontal(wide_luma2_);
    sums.laplacian = horizontal(wide_laplacian_);
    sums.laplacian2 = horizontal(wide_laplacian2_);
    return sums;
  }

 private:
  EA_AVX2 static __m256i load(const void* at) {
    return _mm256_loadu_si256(static_cast<const __m256i*>(at));
  }

  // Adds the luma and saturation bytes of 32 pixels and their Laplacians (16 and 16).
  EA_AVX2 void accumulate(__m256i luma, __m256i saturation, __m256i first, __m256i second) {
    const __m256i zero = _mm256_setzero_si256();
    luma_ = _mm256_add_epi64(luma_, _mm256_sad_epu8(luma, zero));
    saturation_ = _mm256_add_epi64(saturation_, _mm256_sad_epu8(saturation, zero));
    const __m256i low = _mm256_unpacklo_epi8(luma, zero), high = _mm256_unpackhi_epi8(luma, zero);
    luma2_ = _mm256_add_epi32(
        luma2_, _mm256_add_epi32(_mm256_madd_epi16(low, low), _mm256_madd_epi16(high, high)));
    const __m256i ones = _mm256_set1_epi16(1);
    laplacian_ = _mm256_add_epi32(laplacian_, _mm256_add_epi32(_mm256_madd_epi16(first, ones),
                                                               _mm256_madd_epi16(second, ones)));
    laplacian2_ = _mm256_add_epi32(
        laplacian2_,
        _mm256_add_epi32(_mm256_madd_epi16(first, first), _mm256_madd_epi16(second, second)));
    if (++steps_ == kStepsBeforeWidening)
      widen_all();
  }

  // A 32-bit lane gains at most 4 × 1020² (two pairs of Laplacians squared) a step: 256 steps
  // stay below 2^30.
  static constexpr int kStepsBeforeWidening = 256;

  EA_AVX2 static __m256i widened(__m256i wide, __m256i narrow) {
    wide = _mm256_add_epi64(wide, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(narrow)));
    return _mm256_add_epi64(wide, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(narrow, 1)));
  }

  EA_AVX2 void widen_all() {
    wide_luma2_ = widened(wide_luma2_, luma2_);
    wide_laplacian_ = widened(wide_laplacian_, laplacian_);
    wide_laplacian2_ = widened(wide_laplacian2_, laplacian2_);
    luma2_ = laplacian_ = laplacian2_ = _mm256_setzero_si256();
    steps_ = 0;
  }

  EA_AVX2 static std::int64_t horizontal(__m256i values) {
    const __m128i pair =
        _mm_add_epi64(_mm256_castsi256_si128(values), _mm256_extracti128_si256(values, 1));
    return _mm_cvtsi128_si64(pair) + _mm_extract_epi64(pair, 1);
  }

  __m256i luma_, saturation_;                              // 64-bit lanes
  __m256i luma2_, laplacian_, laplacian2_;                 // 32-bit lanes, widened every so often
  __m256i wide_luma2_, wide_laplacian_, wide_laplacian2_;  // 64-bit lanes
  int steps_ = 0;
};

EA_AVX2 IntegerSums sum_rectangle(const Planes& planes, std::uint32_t x0, std::uint32_t y0,
                                  std::uint32_t x1, std::uint32_t y1) {
  // 32 bytes of ones then 32 of zeros: 32 − n bytes in, the first n lanes of a step are kept.
  alignas(64) static constexpr std::int8_t kKeep[64] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                                        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                                        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  const std::uint32_t tail = (x1 - x0) % 32;
  const __m256i keep_tail = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kKeep + 32 - tail));
  RectangleSums sums;
  for (std::uint32_t y = y0; y < y1; ++y) {
    const std::size_t row = std::size_t{y} * planes.width;
    std::uint32_t x = x0;
    for (; x + 32 <= x1; x += 32)
      sums.add(planes.luma + row + x, planes.saturation + row + x, planes.laplacian + row + x);
    if (x < x1)
      sums.add(planes.luma + row + x, planes.saturation + row + x, planes.laplacian + row + x,
               keep_tail);
  }
  return sums.total();
}

#undef EA_AVX2

}  // namespace

const Kernel* avx2_kernel() {
  static const Kernel kernel{"avx2", colour_row, laplacian_row, sum_rectangle};
  static const bool available = __builtin_cpu_supports("avx2") != 0;
  return available ? &kernel : nullptr;
}

#else

const Kernel* avx2_kernel() {
  return nullptr;
}

#endif

}  // namespace ea::metrics::pixel_rows
