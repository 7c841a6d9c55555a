// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string_view>

#include "ea/sdk/record_sink.hpp"

namespace ea::native {

/// Reads `data`, a pickled list of encord_active.lib.db.predictions.Prediction objects (pydantic 1
/// or 2 layout), and hands each to `sink` with its 0-based index; a Prediction that breaks
/// Encord Active's rules is rejected with the reason. Throws sdk::InputError when the pickle is
/// unsafe, malformed or not a list.
void read_pickled_predictions(std::string_view data, sdk::RecordSink& sink);

/// Reads the file `file` (mapped into memory) as read_pickled_predictions does.
void read_pickled_predictions_file(const std::filesystem::path& file, sdk::RecordSink& sink);

}  // namespace ea::native
