// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ea::core {

/// SHA-256 of a file's bytes as lowercase hex; throws Failure when it cannot be read.
std::string sha256_file(const std::filesystem::path& file);

/// SHA-256 of `text` as lowercase hex.
std::string sha256_text(std::string_view text);

}  // namespace ea::core
