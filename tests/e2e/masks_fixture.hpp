// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace ea::test {

/// A project made from the COCO panoptic sample's instances (tests/data/masks): its two images
/// as data units, its 133 categories as classes with their COCO ids, and, unless told otherwise,
/// its 50 segments as labels.
struct PanopticProject {
  TempDir dir;                             ///< holds the project and scratch files
  std::filesystem::path root = dir / "p";  ///< the project folder

  /// Imports the instances file (without its annotations when `with_labels` is false).
  explicit PanopticProject(bool with_labels = true);
  /// Runs `ea -t <project> arguments…`.
  CommandResult run(std::vector<std::string> arguments) const;
  /// The store file.
  std::filesystem::path store() const { return root / "ea.db"; }
  /// The store's contents.
  std::string digest() const { return store_digest(store()); }
  /// The single integer `sql` selects.
  long count(const std::string& sql) const;
};

}  // namespace ea::test
