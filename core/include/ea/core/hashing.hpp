// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

namespace ea::core {

/// SHA-256 of a file's bytes as lowercase hex; throws Failure when it cannot be read.
std::string sha256_file(const std::filesystem::path& file);

}  // namespace ea::core
