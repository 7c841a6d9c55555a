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
  /// Decodes `file` into `image`, reusing its buffer; throws MaskProblem saying why it cannot.
  void decode(const std::filesystem::path& file, MaskImage& image) const;
  /// Labels the connected components of the non-zero values of a row-major `width` × `height`
  /// image into `labels` (1..N, 0 = background; resized to fit) and their boxes into `boxes`
  /// (index 0 = background); returns N.
  std::uint32_t components(std::span<const std::uint32_t> values, std::uint32_t width,
                           std::uint32_t height, int connectivity,
                           std::vector<std::int32_t>& labels,
                           std::vector<ComponentBox>& boxes) const;

 private:
  sdk::CompanionModule companion_;
  DecodeFunction* decode_;
  ComponentsFunction* components_;
};

}  // namespace ea::masks
