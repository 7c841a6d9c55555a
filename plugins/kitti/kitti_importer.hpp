// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include "ea/sdk/importer.hpp"

namespace ea::kitti {

/// Reads KITTI object label files (one `.txt` per image): ground truth into a project, results
/// into a prediction set. See docs/formats/kitti.md.
class KittiImporter final : public sdk::Importer {
 public:
  int probe(const sdk::Input& input) const override;
  void read(const sdk::Input& input, sdk::ImportKind kind, const sdk::OptionValues& options,
            const sdk::ProjectView& project, sdk::RecordSink& sink) const override;
  std::vector<sdk::OptionSpec> options() const override;
};

/// The factory the registration block hands to the host.
std::unique_ptr<sdk::Importer> make_kitti_importer();

}  // namespace ea::kitti
