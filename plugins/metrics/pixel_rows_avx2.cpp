// SPDX-License-Identifier: Apache-2.0
// The AVX2 form of the row passes: 8 pixels a step. Compiled for AVX2 function by function (the
// plugin itself targets plain x86-64) and called only after the processor said it has AVX2.
#include "pixel_rows.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ea::metrics::pixel_rows {

#if defined(__x86_64__)

namespace {

#define EA_AVX2 __attribute__((target("avx2")))

// Inclusive running sums of the 8 lanes, plus `carry` (the previous block's total in every lane).
EA_AVX2 __m256i running(__m256i values, __m256i carry) {
  values = _mm256_add_epi32(values, _mm256_slli_si256(values, 4));
  values = _mm256_add_epi32(values, _mm256_slli_si256(values, 8));
  // Each 128-bit half now holds its own running sums; the upper half adds the lower one's total.
  const __m256i low_total = _mm256_shuffle_epi32(values, 0xFF);
  values = _mm256_add_epi32(values, _mm256_permute2x128_si256(low_total, low_total, 0x08));
  return _mm256_add_epi32(values, carry);
}

// Shuffles that spread channel `c` of 4 RGB pixels at the start of each half into 32-bit lanes.
EA_AVX2 __m256i channel(char c) {
  constexpr char z = -1;  // a zero byte
  return _mm256_setr_epi8(c, z, z, z, char(c + 3), z, z, z, char(c + 6), z, z, z, char(c + 9), z, z,
                          z, c, z, z, z, char(c + 3), z, z, z, char(c + 6), z, z, z, char(c + 9), z,
                          z, z);
}

EA_AVX2 __m256i load(const std::int32_t* at) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
}

// The last lane in every lane: the carry into the next block.
EA_AVX2 __m256i last_lane(__m256i values) {
  return _mm256_permutevar8x32_epi32(values, _mm256_set1_epi32(7));
}

EA_AVX2 void colour_row(const std::uint8_t* rgb, std::uint32_t width, std::int32_t* luma,
                        std::int32_t* saturation) {
  // Pixels 0–3 of a step go to the lower half of a register and 4–7 to the upper one (bytes 0–15
  // and 12–27), where one byte shuffle per channel spreads them into 32-bit lanes.
  const __m256i halves = _mm256_setr_epi32(0, 1, 2, 3, 3, 4, 5, 6);
  const __m256i red = channel(0), green = channel(1), blue = channel(2);
  const __m256i red_green_weights = _mm256_set1_epi32(587 << 16 | 299);
  const __m256i blue_weight = _mm256_set1_epi32(114);
  std::uint32_t x = 0;
  // A step loads 32 bytes, 8 past its 8 pixels: the last steps are left to the portable pass.
  for (; x + 11 <= width; x += kLanes) {
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
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(luma + x), _mm256_cvttps_epi32(scaled));
    // (255 spread + high ÷ 2) ÷ high: a float division is exact here, as every numerator and
    // divisor is an integer below 2^24 and a quotient that is not whole lies at least 1 ÷ 255
    // from the next integer, far beyond the division's rounding (a test checks every pair).
    const __m256i high = _mm256_max_epi32(r, _mm256_max_epi32(g, b));
    const __m256i spread = _mm256_sub_epi32(high, _mm256_min_epi32(r, _mm256_min_epi32(g, b)));
    const __m256i numerator = _mm256_add_epi32(
        _mm256_sub_epi32(_mm256_slli_epi32(spread, 8), spread), _mm256_srli_epi32(high, 1));
    const __m256 divisor = _mm256_cvtepi32_ps(_mm256_max_epi32(high, _mm256_set1_epi32(1)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(saturation + x),
                        _mm256_cvttps_epi32(_mm256_div_ps(_mm256_cvtepi32_ps(numerator), divisor)));
  }
  portable_kernel().colour_row(rgb + 3 * std::size_t{x}, width - x, luma + x, saturation + x);
}

EA_AVX2 void sum_row(const RowInputs& row, Block* blocks) {
  const bool inner_row = row.above != nullptr && row.below != nullptr;
  const __m256i lane_index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i last_inner = _mm256_set1_epi32(static_cast<std::int32_t>(row.width) - 1);
  __m256i luma = _mm256_setzero_si256(), luma2 = luma, saturation = luma, laplacian = luma,
          laplacian2 = luma;
  for (std::uint32_t x = 0, block = 0; x < row.width; x += kLanes, ++block) {
    const __m256i centre = load(row.centre + x);
    __m256i edges = _mm256_setzero_si256();
    if (inner_row) {
      edges = _mm256_sub_epi32(
          _mm256_add_epi32(_mm256_add_epi32(load(row.centre + x - 1), load(row.centre + x + 1)),
                           _mm256_add_epi32(load(row.above + x), load(row.below + x))),
          _mm256_slli_epi32(centre, 2));
      // 0 on the first and last pixel of the row and on the padding past it.
      const __m256i column =
          _mm256_add_epi32(_mm256_set1_epi32(static_cast<std::int32_t>(x)), lane_index);
      const __m256i inside = _mm256_and_si256(_mm256_cmpgt_epi32(column, _mm256_setzero_si256()),
                                              _mm256_cmpgt_epi32(last_inner, column));
      edges = _mm256_and_si256(edges, inside);
    }
    // Squares as multiply-adds of 16-bit pairs: each value (|Laplacian| ≤ 1020) fills the lower
    // half of its lane and the upper half is 0.
    const __m256i magnitude = _mm256_abs_epi32(edges);
    luma = running(centre, last_lane(luma));
    luma2 = running(_mm256_madd_epi16(centre, centre), last_lane(luma2));
    saturation = running(load(row.saturation + x), last_lane(saturation));
    laplacian = running(edges, last_lane(laplacian));
    laplacian2 = running(_mm256_madd_epi16(magnitude, magnitude), last_lane(laplacian2));
    Block& out = blocks[block];
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.luma), luma);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.luma2), luma2);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.saturation), saturation);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.laplacian), laplacian);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.laplacian2), laplacian2);
  }
}

#undef EA_AVX2

}  // namespace

const Kernel* avx2_kernel() {
  static const Kernel kernel{"avx2", colour_row, sum_row};
  static const bool available = __builtin_cpu_supports("avx2") != 0;
  return available ? &kernel : nullptr;
}

#else

const Kernel* avx2_kernel() {
  return nullptr;
}

#endif

}  // namespace ea::metrics::pixel_rows
