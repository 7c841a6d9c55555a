// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "media_reader.hpp"

// JPEGs decoded by libjpeg-turbo straight to RGB. OpenCV decodes with the same library, but into
// BGR through its own buffers, and then needs a conversion: reading the file in one piece and
// decoding 16 rows a call into RGB took about half the time here, with the same pixels.
namespace ea::core::media {

/// An image file's bytes, read in one piece: decoded from memory whatever the format, so the
/// file is read once.
class FileBytes {
 public:
  /// Reads `file`; empty (and `error` set) when it cannot be read.
  FileBytes(const std::filesystem::path& file, std::string& error);

  /// Whether the bytes start with JPEG's start-of-image marker.
  bool is_jpeg() const noexcept;
  /// The bytes.
  std::span<const std::uint8_t> bytes() const noexcept { return {data_.get(), size_}; }

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_ = 0;
};

/// What a JPEG decode gave.
enum class JpegResult {
  decoded,      ///< the pixels are ready
  unsupported,  ///< a colour space libjpeg does not turn into RGB (CMYK, YCCK): use OpenCV
  failed,       ///< not a decodable JPEG; the reason is in `error`
};

/// Reads the size from the header alone.
JpegResult read_jpeg_size(const FileBytes& file, std::uint32_t& width, std::uint32_t& height,
                          std::string& error);

/// A decoded JPEG's RGB rows. Warnings libjpeg recovers from (extraneous bytes before a marker,
/// say) are accepted, as OpenCV accepts them, and not printed; data that ends before the image
/// does is a failure, not an image filled in with grey.
class JpegPixels {
 public:
  /// Decodes `file`.
  JpegResult decode(const FileBytes& file, std::string& error);
  /// The pixels of the last successful decode.
  Pixels pixels() const noexcept;

 private:
  std::unique_ptr<std::uint8_t[]> rgb_;
  std::size_t capacity_ = 0;
  std::uint32_t width_ = 0;
  std::uint32_t height_ = 0;
};

}  // namespace ea::core::media
