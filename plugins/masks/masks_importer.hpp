// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include "ea/sdk/importer.hpp"

namespace ea::masks {

/// Reads folders of mask images (class masks, label maps, COCO panoptic PNGs, one binary image
/// per instance) into predictions or ground truth. See docs/formats/masks.md.
class MasksImporter final : public sdk::Importer {
 public:
  int probe(const sdk::Input& input) const override;
  void read(const sdk::Input& input, sdk::ImportKind kind, const sdk::OptionValues& options,
            const sdk::ProjectView& project, sdk::RecordSink& sink) const override;
  std::vector<sdk::OptionSpec> options() const override;
};

/// The factory the registration block hands to the host.
std::unique_ptr<sdk::Importer> make_masks_importer();

}  // namespace ea::masks
