// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "ea/core/store.hpp"

namespace ea::core {

/// Writes one CSV row per prediction of `set` (or, without a set, per object label) with its id,
/// data_hash, title, frame, class, score (predictions) and every stored metric (a column per
/// metric, empty where it has no value); returns the number of rows. Throws Failure when the file
/// cannot be written or the set does not exist.
std::uint64_t export_metrics(Store& store, const std::optional<std::string>& set,
                             const std::filesystem::path& output);

}  // namespace ea::core
