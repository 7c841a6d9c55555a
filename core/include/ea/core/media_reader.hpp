// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>

namespace boost::dll {
class shared_library;
}

namespace ea::core {

/// Size and frame count of a media file.
struct MediaSize {
  std::uint32_t width = 0;        ///< pixels, as stored
  std::uint32_t height = 0;       ///< pixels
  std::uint32_t frame_count = 1;  ///< 1 for an image
};

/// Reads media sizes through ea_media.so, which holds the host's only use of OpenCV and is loaded
/// on first use, so commands that read no media never pay for OpenCV's start-up.
class MediaReader {
 public:
  /// Loads the module beside `ea` (build tree, relocatable install) or from the install folder;
  /// throws Failure when it cannot.
  MediaReader();
  ~MediaReader();
  MediaReader(MediaReader&&) noexcept;
  /// Reads one file; throws Failure naming it when it cannot be decoded. Thread-safe.
  MediaSize read(const std::filesystem::path& file, bool video) const;
  /// Decodes `frames` (ascending) of `file` as 8-bit RGB and calls `visit(frame, data, width,
  /// height, stride)` for each, with data nullptr for a frame that could not be decoded; throws
  /// Failure naming the file when it cannot be opened. An exception from `visit` stops decoding
  /// and reaches the caller. Thread-safe.
  void decode(
      const std::filesystem::path& file, bool video, std::span<const std::int64_t> frames,
      const std::function<void(std::int64_t frame, const std::uint8_t* data, std::uint32_t width,
                               std::uint32_t height, std::size_t stride)>& visit) const;

 private:
  std::unique_ptr<boost::dll::shared_library> library_;
};

/// Whether the file's extension names a video (mp4, avi, mov, mkv).
bool is_video_file(const std::filesystem::path& file);

}  // namespace ea::core
