// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <vector>

#include "ea/core/diagnostics.hpp"
#include "ea/sdk/records.hpp"

namespace ea::core {

/// Finds every image (jpg, jpeg, png, bmp, tif, tiff, webp) and video (mp4, avi, mov, mkv) under
/// `folder`, recursively, and reads its size (and a video's frame count) with OpenCV on all
/// cores. Titles are paths relative to `folder`; data hashes are stable UUIDs of those paths.
/// Throws Failure naming the first file that cannot be read.
std::vector<sdk::DataUnit> scan_media(const std::filesystem::path& folder,
                                      Diagnostics& diagnostics);

}  // namespace ea::core
