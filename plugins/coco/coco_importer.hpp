// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include "ea/sdk/importer.hpp"

namespace ea::coco {

/// Reads COCO: an instances file as a project's ground truth (`ea import project`), a results
/// list, or a dataset dict whose annotations carry scores, as predictions.
class CocoImporter final : public sdk::Importer {
 public:
  std::vector<sdk::OptionSpec> options() const override;
  int probe(const sdk::Input& input) const override;
  void read(const sdk::Input& input, sdk::ImportKind kind, const sdk::OptionValues& options,
            const sdk::ProjectView& project, sdk::RecordSink& sink) const override;
};

/// The factory the registration block hands to the host.
std::unique_ptr<sdk::Importer> make_coco_importer();

}  // namespace ea::coco
