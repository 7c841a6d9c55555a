// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include "ea/sdk/exporter.hpp"

namespace ea::coco {

/// Writes a prediction set as a COCO results list: boxes as `bbox`, masks as compressed RLE
/// `segmentation` with their `bbox`, polygons as flat coordinate lists; ids are the project's
/// stored COCO ids (data_hash and feature_hash where there are none). Numbers are written so
/// that reading them back gives the same doubles. Frame classifications have no COCO form and
/// are counted as skipped.
class CocoExporter final : public sdk::Exporter {
 public:
  sdk::ExportSummary write(const sdk::ProjectView& project, sdk::PredictionSource& source,
                           const sdk::OptionValues& options, std::ostream& out) const override;
};

/// The factory the registration block hands to the host.
std::unique_ptr<sdk::Exporter> make_coco_exporter();

}  // namespace ea::coco
