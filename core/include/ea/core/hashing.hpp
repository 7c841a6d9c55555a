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

/// A name-based UUID (RFC 4122 version 5) in ea's namespace: the same name always gives the same
/// data_hash, so re-running `ea init` on the same files keeps every hash.
std::string stable_uuid(std::string_view name);

/// An 8-character hash derived from `parts` (ontology hashes that the user did not give).
std::string short_hash(std::string_view kind, std::string_view name, std::string_view detail = {});

}  // namespace ea::core
