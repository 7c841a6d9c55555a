// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

#include "ea/sdk/importer.hpp"

namespace ea::native {

/// Reads native predictions: a JSON array of Prediction records, one record per line (JSON Lines,
/// streamed in bounded memory), or Encord Active's pickled list of Prediction objects (read by an
/// interpreter that never executes anything). See docs/formats/native.md.
class NativeImporter final : public sdk::Importer {
 public:
  int probe(const sdk::Input& input) const override;
  void read(const sdk::Input& input, sdk::ImportKind kind, const sdk::OptionValues& options,
            const sdk::ProjectView& project, sdk::RecordSink& sink) const override;
};

/// The factory the registration block hands to the host.
std::unique_ptr<sdk::Importer> make_native_importer();

}  // namespace ea::native
