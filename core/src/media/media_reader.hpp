// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>

// The contract between core and its media reader module (ea_media.so). The module holds the
// host's reading of media with OpenCV: linking OpenCV into `ea` itself costs about 0.25 s of
// dynamic loading (some 240 libraries) on every command, and only `ea init` and metric runs read
// media.
namespace ea::core::media {

/// What the reader tells about one media file.
struct MediaInfo {
  std::uint32_t width = 0;        ///< pixels, as stored (EXIF orientation not applied)
  std::uint32_t height = 0;       ///< pixels
  std::uint32_t frame_count = 1;  ///< 1 for an image
};

/// The signature of the module's entry point `ea_media_read`: fills `info`, or returns false
/// with the reason in `error`. Thread-safe.
using ReadFunction = bool(const std::filesystem::path& file, bool video, MediaInfo& info,
                          std::string& error) noexcept;

/// The entry point's symbol name.
inline constexpr const char* kReadSymbol = "ea_media_read";

/// One decoded frame: 8-bit RGB rows, valid only during the visit.
struct Pixels {
  std::uint32_t width = 0;             ///< columns
  std::uint32_t height = 0;            ///< rows
  std::size_t stride = 0;              ///< bytes per row
  const std::uint8_t* data = nullptr;  ///< the first row
};

/// Receives each requested frame in order, or nullptr when that frame could not be decoded;
/// returns false to stop. Must not throw: it is called from inside the module.
using FrameVisitor = std::function<bool(std::int64_t frame, const Pixels* pixels)>;

/// The signature of `ea_media_decode`: decodes `frames` (ascending) of `file` and visits each;
/// returns false with the reason in `error` when the file cannot be opened at all. Thread-safe.
using DecodeFunction = bool(const std::filesystem::path& file, bool video,
                            std::span<const std::int64_t> frames, const FrameVisitor& visit,
                            std::string& error) noexcept;

/// The decode entry point's symbol name.
inline constexpr const char* kDecodeSymbol = "ea_media_decode";

}  // namespace ea::core::media
