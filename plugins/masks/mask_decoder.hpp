// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "ea/sdk/companion_module.hpp"
#include "mask_codec.hpp"

namespace ea::masks {

/// Why one mask file cannot be used; the importer reports it against that file.
struct MaskProblem : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Image decoding and connected components, done by the OpenCV companion it loads. Thread-safe.
class MaskDecoder {
 public:
  /// Loads the companion; throws sdk::Error when it cannot.
  MaskDecoder();
  /// Decodes `file`; throws MaskProblem saying why it cannot.
  MaskImage decode(const std::filesystem::path& file) const;
  /// The connected components of the non-zero bytes of a row-major `width` × `height` image,
  /// numbered 1..N in raster order of their first pixel; `count` receives N.
  std::vector<std::int32_t> components(std::span<const std::uint8_t> binary, std::uint32_t width,
                                       std::uint32_t height, int connectivity,
                                       std::uint32_t& count) const;

 private:
  sdk::CompanionModule companion_;
  DecodeFunction* decode_;
  ComponentsFunction* components_;
};

}  // namespace ea::masks
