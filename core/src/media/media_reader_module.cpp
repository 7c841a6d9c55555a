// SPDX-License-Identifier: Apache-2.0
// ea_media.so: reads image sizes and video frame counts for `ea init`, and decodes frames for
// metrics: JPEGs with libjpeg-turbo directly, everything else with OpenCV.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "jpeg_reader.hpp"
#include "media_reader.hpp"

using ea::core::media::FileBytes;
using ea::core::media::FrameVisitor;
using ea::core::media::JpegPixels;
using ea::core::media::JpegResult;
using ea::core::media::MediaInfo;
using ea::core::media::Pixels;

namespace {

// `bytes` decoded by OpenCV as stored (EXIF orientation not applied); empty when they are not an
// image OpenCV reads (or the file could not be read at all).
cv::Mat decode_with_opencv(const FileBytes& bytes, int flags) {
  if (bytes.bytes().empty())
    return {};
  const cv::Mat encoded(1, static_cast<int>(bytes.bytes().size()), CV_8U,
                        const_cast<std::uint8_t*>(bytes.bytes().data()));
  return cv::imdecode(encoded, flags | cv::IMREAD_IGNORE_ORIENTATION);
}

bool read_image(const std::filesystem::path& file, MediaInfo& info, std::string& error) {
  // The size as stored: annotation tools and COCO files refer to the stored pixel grid. A JPEG's
  // header holds it; other formats are decoded.
  const FileBytes bytes(file, error);
  if (bytes.is_jpeg()) {
    const JpegResult read = read_jpeg_size(bytes, info.width, info.height, error);
    if (read == JpegResult::failed)
      error = "cannot decode the image " + file.string() + ": " + error;
    info.frame_count = 1;
    return read == JpegResult::decoded;
  }
  const cv::Mat image = decode_with_opencv(bytes, cv::IMREAD_UNCHANGED);
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

void to_rgb(const cv::Mat& bgr, cv::Mat& rgb) {
  if (bgr.channels() == 1)
    cv::cvtColor(bgr, rgb, cv::COLOR_GRAY2RGB);
  else if (bgr.channels() == 4)
    cv::cvtColor(bgr, rgb, cv::COLOR_BGRA2RGB);
  else
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
}

Pixels pixels_of(const cv::Mat& rgb) {
  return Pixels{static_cast<std::uint32_t>(rgb.cols), static_cast<std::uint32_t>(rgb.rows),
                rgb.step[0], rgb.data};
}

// Visits frame 0 with `pixels` and any other requested frame as missing (an image has one).
bool visit_image(std::span<const std::int64_t> frames, const Pixels& pixels,
                 const FrameVisitor& visit) {
  for (const std::int64_t frame : frames) {
    if (!visit(frame, frame == 0 ? &pixels : nullptr))
      break;
  }
  return true;
}

bool decode_image(const std::filesystem::path& file, std::span<const std::int64_t> frames,
                  const FrameVisitor& visit, std::string& error) {
  // As stored, like read_image: labels refer to the stored pixel grid (libjpeg never rotates).
  const FileBytes bytes(file, error);
  if (bytes.is_jpeg()) {
    JpegPixels decoded;
    switch (decoded.decode(bytes, error)) {
      case JpegResult::decoded:
        return visit_image(frames, decoded.pixels(), visit);
      case JpegResult::failed:
        error = "cannot decode the image " + file.string() + ": " + error;
        return false;
      case JpegResult::unsupported:
        break;  // CMYK: OpenCV converts it
    }
  }
  const cv::Mat image = decode_with_opencv(bytes, cv::IMREAD_COLOR);
  if (image.empty()) {
    error = "cannot decode the image " + file.string();
    return false;
  }
  cv::Mat rgb;
  to_rgb(image, rgb);
  return visit_image(frames, pixels_of(rgb), visit);
}

// Frames are read in order without seeking: seeking in compressed video lands on key frames and
// is neither exact nor faster for the dense frame lists metrics ask for.
bool decode_video(const std::filesystem::path& file, std::span<const std::int64_t> frames,
                  const FrameVisitor& visit, std::string& error) {
  cv::VideoCapture video(file.string());
  if (!video.isOpened()) {
    error = "cannot open the video " + file.string();
    return false;
  }
  cv::Mat bgr;
  cv::Mat rgb;
  std::int64_t position = 0;  // the frame grab() reads next
  for (const std::int64_t frame : frames) {
    bool read = true;
    while (read && position <= frame) {
      read = position == frame ? video.read(bgr) : video.grab();
      ++position;
    }
    bool more = false;
    if (read && !bgr.empty()) {
      to_rgb(bgr, rgb);
      const Pixels pixels = pixels_of(rgb);
      more = visit(frame, &pixels);
    } else {
      more = visit(frame, nullptr);
    }
    if (!more)
      break;
  }
  return true;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) bool ea_media_decode(
    const std::filesystem::path& file, bool video, std::span<const std::int64_t> frames,
    const FrameVisitor& visit, std::string& error) noexcept {
  try {
    return video ? decode_video(file, frames, visit, error)
                 : decode_image(file, frames, visit, error);
  } catch (const std::exception& failure) {
    error = "cannot decode " + file.string() + ": " + failure.what();
    return false;
  }
}

extern "C" __attribute__((visibility("default"))) bool ea_media_read(
    const std::filesystem::path& file, bool video, MediaInfo& info, std::string& error) noexcept {
  try {
    return video ? read_video(file, info, error) : read_image(file, info, error);
  } catch (const std::exception& failure) {
    error = "cannot read " + file.string() + ": " + failure.what();
    return false;
  }
}
