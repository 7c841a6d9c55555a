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

bool is_video_file(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".mp4" || extension == ".avi" || extension == ".mov" || extension == ".mkv";
}

}  // namespace ea::core
