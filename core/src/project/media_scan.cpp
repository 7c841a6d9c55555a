// SPDX-License-Identifier: Apache-2.0
#include "ea/core/media_scan.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "ea/core/failure.hpp"
#include "ea/core/hashing.hpp"

namespace ea::core {

namespace fs = std::filesystem;

namespace {

const std::set<std::string, std::less<>> kImageExtensions = {".jpg", ".jpeg", ".png", ".bmp",
                                                             ".tif", ".tiff", ".webp"};
const std::set<std::string, std::less<>> kVideoExtensions = {".mp4", ".avi", ".mov", ".mkv"};

std::string lowercase_extension(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// Reads the size as stored in the file: EXIF orientation is not applied, so the size matches the
// pixel grid that annotation tools and COCO files refer to.
void read_image(sdk::DataUnit& unit, const fs::path& file) {
  const cv::Mat image = cv::imread(file.string(), cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
  if (image.empty()) throw Failure("cannot decode the image " + file.string() + ".");
  unit.width = static_cast<std::uint32_t>(image.cols);
  unit.height = static_cast<std::uint32_t>(image.rows);
}

void read_video(sdk::DataUnit& unit, const fs::path& file) {
  cv::VideoCapture video(file.string());
  if (!video.isOpened()) throw Failure("cannot open the video " + file.string() + ".");
  const double frames = video.get(cv::CAP_PROP_FRAME_COUNT);
  unit.width = static_cast<std::uint32_t>(video.get(cv::CAP_PROP_FRAME_WIDTH));
  unit.height = static_cast<std::uint32_t>(video.get(cv::CAP_PROP_FRAME_HEIGHT));
  if (frames < 1 || unit.width == 0 || unit.height == 0) {
    throw Failure("the video " + file.string() + " reports no frames or no size.");
  }
  unit.frame_count = static_cast<std::uint32_t>(frames);
}

}  // namespace

std::vector<sdk::DataUnit> scan_media(const fs::path& folder, Diagnostics& diagnostics) {
  if (!fs::is_directory(folder)) throw Failure("the image folder " + folder.string() + " does not exist.");
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder, fs::directory_options::follow_directory_symlink)) {
    if (!entry.is_regular_file()) continue;
    const std::string extension = lowercase_extension(entry.path());
    if (kImageExtensions.contains(extension) || kVideoExtensions.contains(extension)) {
      files.push_back(entry.path());
    } else {
      diagnostics.debug("not media, skipped: " + entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());

  std::vector<sdk::DataUnit> units(files.size());
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::optional<std::pair<std::size_t, std::exception_ptr>> first_failure;
  const auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      sdk::DataUnit& unit = units[i];
      const std::string relative = files[i].lexically_relative(folder).generic_string();
      unit.title = relative;
      unit.path = relative;
      unit.data_hash = stable_uuid(relative);
      try {
        if (kVideoExtensions.contains(lowercase_extension(files[i]))) {
          unit.kind = sdk::MediaKind::video;
          read_video(unit, files[i]);
        } else {
          read_image(unit, files[i]);
        }
      } catch (...) {
        // Report the first file in path order, whichever thread met it first.
        const std::lock_guard lock(failure_mutex);
        if (!first_failure || i < first_failure->first) first_failure.emplace(i, std::current_exception());
      }
    }
  };
  const unsigned workers = std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
  {
    std::vector<std::jthread> threads;
    for (unsigned t = 1; t < workers; ++t) threads.emplace_back(work);
    work();
  }
  if (first_failure) std::rethrow_exception(first_failure->second);
  return units;
}

}  // namespace ea::core
