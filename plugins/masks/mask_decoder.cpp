// SPDX-License-Identifier: Apache-2.0
#include "mask_decoder.hpp"

namespace ea::masks {

namespace {
// An address inside this plugin, so the companion is looked for beside it.
void anchor() {}
}  // namespace

MaskDecoder::MaskDecoder()
    : companion_(kCompanionFile, reinterpret_cast<const void*>(&anchor)),
      decode_(companion_.function<DecodeFunction>(kDecodeSymbol)),
      components_(companion_.function<ComponentsFunction>(kComponentsSymbol)) {}

MaskImage MaskDecoder::decode(const std::filesystem::path& file) const {
  MaskImage image;
  std::string error;
  if (!decode_(file, image, error))
    throw MaskProblem(error);
  return image;
}

std::vector<std::int32_t> MaskDecoder::components(std::span<const std::uint8_t> binary,
                                                  std::uint32_t width, std::uint32_t height,
                                                  int connectivity, std::uint32_t& count) const {
  std::vector<std::int32_t> labels(binary.size());
  const int found = components_(binary.data(), static_cast<int>(width), static_cast<int>(height),
                                connectivity, labels.data());
  if (found < 0)
    throw MaskProblem("OpenCV could not label its connected components");
  count = static_cast<std::uint32_t>(found);
  return labels;
}

}  // namespace ea::masks
