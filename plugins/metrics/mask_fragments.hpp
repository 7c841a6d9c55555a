// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "ea/sdk/geometry.hpp"

namespace ea::metrics {

/// The number of 8-connected components of a mask, counted on its runs without decoding it: a
/// run is a vertical segment of one column, and segments of neighbouring columns connect when
/// their rows overlap or touch diagonally.
std::uint32_t count_fragments(const sdk::Rle& mask);

}  // namespace ea::metrics
