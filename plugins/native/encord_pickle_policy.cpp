// SPDX-License-Identifier: Apache-2.0
// The names Encord Active's pickles use: its classes in encord_active.lib.db.predictions, the
// Format enum, numpy's reconstruction of arrays and dtypes, and what protocol 2 needs for sets and
// bytes. Everything else a pickle names stops the read.
#include "encord_pickle_policy.hpp"

#include <algorithm>
#include <array>

namespace ea::native::encord {

namespace {

using pickle::Global;
using pickle::Value;

constexpr std::array<std::string_view, 6> kClasses{
    "Prediction", "ObjectDetection", "BoundingBox", "FrameClassification", "Format", "Point"};

bool is_numpy(const Global& global, std::string_view name) {
  return global.module == "numpy.core.multiarray" || global.module == "numpy._core.multiarray" ||
                 global.module == "numpy.core.numeric" || global.module == "numpy._core.numeric"
             ? global.name == name
             : false;
}

bool is_format_member_name(const Value& value) {
  const auto* name = pickle::get_if<std::string_view>(value);
  return name != nullptr && std::any_of(kFormats.begin(), kFormats.end(),
                                        [&](const auto& member) { return member.first == *name; });
}

bool holds_global(const Value& value, bool (*test)(const Global&, std::string_view),
                  std::string_view name) {
  const Global* global = pickle::as_global(value);
  return global != nullptr && test(*global, name);
}

bool reduce_allowed(const Global& callable, std::span<const Value> arguments) {
  const auto count = arguments.size();
  if (is_builtin(callable, "getattr")) {  // Format.MEMBER, as Python 3.11+ pickles enum members
    return count == 2 && holds_global(arguments[0], is_encord, "Format") &&
           is_format_member_name(arguments[1]);
  }
  if (is_encord(callable, "Format"))  // Format("value"), as older Pythons pickle them
    return count == 1 && is_format_value(arguments[0]);
  if (is_builtin(callable, "set") || is_builtin(callable, "frozenset"))
    return count == 0 || (count == 1 && pickle::as_list(arguments[0]) != nullptr);
  if (callable.module == "_codecs" && callable.name == "encode") {  // protocol 2's bytes
    const auto* encoding = count == 2 ? pickle::get_if<std::string_view>(arguments[1]) : nullptr;
    return pickle::get_if<std::string_view>(arguments[0]) != nullptr && encoding != nullptr &&
           (*encoding == "latin1" || *encoding == "latin-1");
  }
  if (is_numpy(callable, "_reconstruct"))
    return count == 3 && holds_global(
                             arguments[0],
                             [](const Global& g, std::string_view) {
                               return g.module == "numpy" && g.name == "ndarray";
                             },
                             "");
  if (is_numpy(callable, "_frombuffer"))
    return count == 4;
  if (callable.module == "numpy" && callable.name == "dtype")
    return count == 3 && pickle::get_if<std::string_view>(arguments[0]) != nullptr;
  if (callable.module == "copyreg" && callable.name == "_reconstructor") {
    const Global* type = pickle::as_global(arguments[0]);
    return count == 3 && type != nullptr && type->module == kModule;
  }
  return false;
}

bool global_allowed(std::string_view module, std::string_view name) {
  if (module == kModule)
    return std::find(kClasses.begin(), kClasses.end(), name) != kClasses.end();
  if (module == "builtins" || module == "__builtin__")
    return name == "getattr" || name == "set" || name == "frozenset" || name == "object";
  if (module == "numpy")
    return name == "ndarray" || name == "dtype";
  if (module == "numpy.core.multiarray" || module == "numpy._core.multiarray")
    return name == "_reconstruct";
  if (module == "numpy.core.numeric" || module == "numpy._core.numeric")
    return name == "_frombuffer";
  if (module == "_codecs")
    return name == "encode";
  if (module == "copyreg")
    return name == "_reconstructor";
  return false;
}

}  // namespace

bool is_builtin(const Global& global, std::string_view name) {
  // Protocol 2 pickles written by Python 3 name the builtins module as Python 2 did.
  return (global.module == "builtins" || global.module == "__builtin__") && global.name == name;
}

bool is_encord(const Global& global, std::string_view name) {
  return global.module == kModule && global.name == name;
}

bool is_format_value(const Value& value) {
  const auto* text = pickle::get_if<std::string_view>(value);
  return text != nullptr && std::any_of(kFormats.begin(), kFormats.end(),
                                        [&](const auto& member) { return member.second == *text; });
}

bool names_encord_class(const Value& value, std::string_view name) {
  const Global* global = pickle::as_global(value);
  return global != nullptr && is_encord(*global, name);
}

pickle::Policy encord_active_policy() {
  return {global_allowed, reduce_allowed};
}

}  // namespace ea::native::encord
