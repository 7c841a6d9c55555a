// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <string_view>
#include <utility>

#include "pickle_reader.hpp"

namespace ea::native::encord {

/// The module Encord Active's prediction classes live in.
inline constexpr std::string_view kModule = "encord_active.lib.db.predictions";

/// Format's members by name and value.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kFormats{{
    {"BOUNDING_BOX", "bounding-box"},
    {"MASK", "mask"},
    {"POLYGON", "polygon"},
}};

/// Whether `global` is the builtin `name` (protocol 2 pickles call the module __builtin__).
bool is_builtin(const pickle::Global& global, std::string_view name);

/// Whether `global` is Encord Active's class `name`.
bool is_encord(const pickle::Global& global, std::string_view name);

/// Whether `value` names Encord Active's class `name`.
bool names_encord_class(const pickle::Value& value, std::string_view name);

/// Whether `value` is the text of a Format member ("bounding-box", "mask" or "polygon").
bool is_format_value(const pickle::Value& value);

/// What Encord Active's prediction pickles may name — its model classes and Format, numpy's
/// array and dtype reconstruction, copyreg and container builtins — and the only calls they may
/// record (e.g. getattr on Format with one of its member names).
pickle::Policy encord_active_policy();

}  // namespace ea::native::encord
