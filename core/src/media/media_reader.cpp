// SPDX-License-Identifier: Apache-2.0
#include "ea/core/media_reader.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <boost/dll/shared_library.hpp>

#include "ea/core/failure.hpp"
#include "host_module.hpp"
#include "media_reader.hpp"

namespace ea::core {

namespace fs = std::filesystem;

MediaReader::MediaReader() : library_(load_host_module("ea_media.so")) {}

MediaReader::~MediaReader() = default;
MediaReader::MediaReader(MediaReader&&) noexcept = default;

MediaSize MediaReader::read(const fs::path& file, bool video) const {
  const auto& read_media = library_->get<media::ReadFunction>(media::kReadSymbol);
  media::MediaInfo info;
  std::string error;
  if (!read_media(file, video, info, error))
    throw Failure(error + ".");
  return {info.width, info.height, info.frame_count};
}

void MediaReader::decode(const fs::path& file, bool video, std::span<const std::int64_t> frames,
                         const std::function<void(std::int64_t, const std::uint8_t*, std::uint32_t,
                                                  std::uint32_t, std::size_t)>& visit) const {
  const auto& decode_media = library_->get<media::DecodeFunction>(media::kDecodeSymbol);
  // The module must not see an exception: the visitor keeps it and stops the decoding.
  std::exception_ptr failure;
  const media::FrameVisitor visitor = [&](std::int64_t frame, const media::Pixels* pixels) {
    try {
      if (pixels != nullptr)
        visit(frame, pixels->data, pixels->width, pixels->height, pixels->stride);
      else
        visit(frame, nullptr, 0, 0, 0);
      return true;
    } catch (...) {
      failure = std::current_exception();
      return false;
    }
  };
  std::string error;
  const bool opened = decode_media(file, video, frames, visitor, error);
  if (failure)
    std::rethrow_exception(failure);
  if (!opened)
    throw Failure(error + ".");
}

bool is_video_file(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".mp4" || extension == ".avi" || extension == ".mov" || extension == ".mkv";
}

}  // namespace ea::core
