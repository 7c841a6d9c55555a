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
      components_(companion_.function<ComponentsFunction>(kComponentsSymbol)) {
  companion_.function<ConfigureFunction>(kConfigureSymbol)();
}

void MaskDecoder::decode(const std::filesystem::path& file, MaskImage& image) const {
  std::string error;
  if (!decode_(file, image, error))
    throw MaskProblem(error);
}

std::uint32_t MaskDecoder::components(std::span<const std::uint32_t> values, std::uint32_t width,
                                      std::uint32_t height, int connectivity,
                                      std::vector<std::int32_t>& labels,
                                      std::vector<ComponentBox>& boxes) const {
  labels.resize(values.size());
  const int found = components_(values.data(), static_cast<int>(width), static_cast<int>(height),
                                connectivity, labels.data(), boxes);
  if (found < 0)
    throw MaskProblem("OpenCV could not label its connected components");
  return static_cast<std::uint32_t>(found);
}

}  // namespace ea::masks
