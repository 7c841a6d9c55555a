// SPDX-License-Identifier: Apache-2.0
// ea_media.so: reads image sizes and video frame counts with OpenCV for `ea init`.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "media_reader.hpp"

using ea::core::media::MediaInfo;

namespace {

bool read_image(const std::filesystem::path& file, MediaInfo& info, std::string& error) {
  // The size as stored: annotation tools and COCO files refer to the stored pixel grid.
  const cv::Mat image =
      cv::imread(file.string(), cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
  if (image.empty()) {
    error = "cannot decode the image " + file.string();
    return false;
  }
  info.width = static_cast<std::uint32_t>(image.cols);
  info.height = static_cast<std::uint32_t>(image.rows);
  info.frame_count = 1;
  return true;
}

bool read_video(const std::filesystem::path& file, MediaInfo& info, std::string& error) {
  cv::VideoCapture video(file.string());
  if (!video.isOpened()) {
    error = "cannot open the video " + file.string();
    return false;
  }
  const double frames = video.get(cv::CAP_PROP_FRAME_COUNT);
  info.width = static_cast<std::uint32_t>(video.get(cv::CAP_PROP_FRAME_WIDTH));
  info.height = static_cast<std::uint32_t>(video.get(cv::CAP_PROP_FRAME_HEIGHT));
  if (frames < 1 || info.width == 0 || info.height == 0) {
    error = "the video " + file.string() + " reports no frames or no size";
    return false;
  }
  info.frame_count = static_cast<std::uint32_t>(frames);
  return true;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) bool ea_media_read(
    const std::filesystem::path& file, bool video, MediaInfo& info, std::string& error) noexcept {
  try {
    return video ? read_video(file, info, error) : read_image(file, info, error);
  } catch (const std::exception& failure) {
    error = "cannot read " + file.string() + ": " + failure.what();
    return false;
  }
}
