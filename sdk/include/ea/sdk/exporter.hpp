// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "ea/sdk/export.hpp"
#include "ea/sdk/options.hpp"
#include "ea/sdk/project_view.hpp"
#include "ea/sdk/records.hpp"

namespace ea::sdk {

/// Hands an exporter the predictions of one set, in import order, geometry in pixels (boxes and
/// polygons with Units::pixels, masks as RLE, `box` set to the stored box).
class EA_SDK_EXPORT PredictionSource {
 public:
  virtual ~PredictionSource();
  /// Fills `prediction` with the next one; false at the end.
  virtual bool next(Prediction& prediction) = 0;
};

/// What an export wrote.
struct ExportSummary {
  std::uint64_t written = 0;  ///< predictions written
  std::uint64_t skipped = 0;  ///< predictions the format cannot hold (e.g. classifications)
};

/// Writes a prediction set in one format.
class EA_SDK_EXPORT Exporter {
 public:
  virtual ~Exporter();
  /// Options this format accepts after `--format F`.
  virtual std::vector<OptionSpec> options() const;
  /// Writes every prediction of `source` to `out`; throws Error when it cannot.
  virtual ExportSummary write(const ProjectView& project, PredictionSource& source,
                              const OptionValues& options, std::ostream& out) const = 0;
};

}  // namespace ea::sdk
