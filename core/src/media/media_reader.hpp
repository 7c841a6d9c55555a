// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

// The contract between core and its media reader module (ea_media.so). The module holds every
// use of OpenCV in the host: linking OpenCV into `ea` itself costs about 0.25 s of dynamic
// loading (some 240 libraries) on every command, and only `ea init` reads media.
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

}  // namespace ea::core::media
