// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "ea/core/diagnostics.hpp"

namespace ea::core {

/// What `ea init` is asked to do.
struct InitRequest {
  std::filesystem::path target;                   ///< the project folder (created if missing)
  std::optional<std::filesystem::path> images;    ///< media folder to scan, if any
  std::optional<std::string> name;                ///< project name (default: the folder's name)
  std::optional<std::filesystem::path> ontology;  ///< ontology file, if any
  bool force = false;                             ///< replace an existing project
  bool groups = false;  ///< each top-level sub-folder of `images` is an image group
};

/// What `ea init` made.
struct InitSummary {
  std::size_t images = 0;           ///< image data units
  std::size_t videos = 0;           ///< video data units
  std::size_t objects = 0;          ///< ontology objects
  std::size_t classifications = 0;  ///< ontology classifications
  std::size_t groups = 0;           ///< image groups
};

/// Creates `ea.json` and `ea.db`. The store is built under a temporary name and renamed into
/// place, so a failure leaves an existing project exactly as it was. Throws Failure.
InitSummary init_project(const InitRequest& request, Diagnostics& diagnostics);

}  // namespace ea::core
