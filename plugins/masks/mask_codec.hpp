// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

// The contract between the mask plugin and its OpenCV companion, ea_masks_opencv.so. All of
// OpenCV sits in the companion: the plugin is loaded for every command, and OpenCV's image codecs
// bring some 140 libraries with them.
namespace ea::masks {

/// How a mask file stores its pixels.
enum class PixelLayout {
  gray8,    ///< 8-bit gray: a value per pixel
  gray16,   ///< 16-bit gray
  palette,  ///< palette indices (the colours are ignored)
  rgb,      ///< 8-bit colour; value = R + 256·G + 256²·B (COCO panoptic's id encoding)
  other,    ///< anything else (gray with alpha, RGBA, 16-bit colour, …)
};

/// A decoded mask image: one value per pixel, row-major.
struct MaskImage {
  std::uint32_t width = 0;                  ///< columns
  std::uint32_t height = 0;                 ///< rows
  PixelLayout layout = PixelLayout::other;  ///< how the file stored the values
  std::vector<std::uint32_t> values;        ///< width × height values; empty for `other`
};

/// `ea_masks_decode`: reads `file` into `image` (reusing its buffer), or returns false with the
/// reason in `error`.
using DecodeFunction = bool(const std::filesystem::path& file, MaskImage& image,
                            std::string& error) noexcept;

/// The bounding rectangle of a connected component, in pixels.
struct ComponentBox {
  int left = 0;    ///< first column
  int top = 0;     ///< first row
  int width = 0;   ///< columns
  int height = 0;  ///< rows
};

/// `ea_masks_components`: labels the connected components of the non-zero pixels of a row-major
/// `width` × `height` image of values (4- or 8-connectivity) into `labels` (0 = background,
/// then 1..N in OpenCV's order) and their boxes into `boxes` (index 0 = background); returns N, or
/// -1 when OpenCV failed.
using ComponentsFunction = int(const std::uint32_t* values, int width, int height, int connectivity,
                               std::int32_t* labels, std::vector<ComponentBox>& boxes) noexcept;

/// `ea_masks_configure`: prepares OpenCV for decoding on the importer's own threads (one OpenCV
/// thread per caller).
using ConfigureFunction = void() noexcept;

/// The companion's file name, beside the plugin.
inline constexpr const char* kCompanionFile = "ea_masks_opencv.so";
/// The decode entry point's symbol.
inline constexpr const char* kDecodeSymbol = "ea_masks_decode";
/// The configure entry point's symbol.
inline constexpr const char* kConfigureSymbol = "ea_masks_configure";
/// The components entry point's symbol.
inline constexpr const char* kComponentsSymbol = "ea_masks_components";

}  // namespace ea::masks
