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

#include "ea/core/failure.hpp"
#include "ea/core/media_reader.hpp"
#include "ea/sdk/records.hpp"

namespace ea::core {

namespace fs = std::filesystem;

namespace {

const std::set<std::string, std::less<>> kImageExtensions = {".jpg", ".jpeg", ".png", ".bmp",
                                                             ".tif", ".tiff", ".webp"};

std::string lowercase_extension(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

}  // namespace

std::vector<sdk::DataUnit> scan_media(const fs::path& folder, Diagnostics& diagnostics) {
  if (!fs::is_directory(folder))
    throw Failure("the image folder " + folder.string() + " does not exist.");
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(folder, fs::directory_options::follow_directory_symlink)) {
    if (!entry.is_regular_file())
      continue;
    const std::string extension = lowercase_extension(entry.path());
    if (kImageExtensions.contains(extension) || is_video_file(entry.path())) {
      files.push_back(entry.path());
    } else {
      diagnostics.debug("not media, skipped: " + entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());

  std::vector<sdk::DataUnit> units(files.size());
  if (files.empty())
    return units;
  const MediaReader reader;
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::optional<std::pair<std::size_t, std::string>> first_failure;
  const auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      sdk::DataUnit& unit = units[i];
      const std::string relative = files[i].lexically_relative(folder).generic_string();
      unit.title = relative;
      unit.path = relative;
      unit.data_hash = sdk::derived_data_hash(relative);
      const bool video = is_video_file(files[i]);
      unit.kind = video ? sdk::MediaKind::video : sdk::MediaKind::image;
      try {
        const MediaSize size = reader.read(files[i], video);
        unit.width = size.width;
        unit.height = size.height;
        unit.frame_count = size.frame_count;
      } catch (const Failure& error) {
        // Report the first file in path order, whichever thread met it first.
        const std::lock_guard lock(failure_mutex);
        if (!first_failure || i < first_failure->first)
          first_failure.emplace(i, error.what());
      }
    }
  };
  const unsigned workers = std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
  {
    std::vector<std::jthread> threads;
    for (unsigned t = 1; t < workers; ++t)
      threads.emplace_back(work);
    work();
  }
  if (first_failure)
    throw Failure(first_failure->second);
  return units;
}

}  // namespace ea::core
