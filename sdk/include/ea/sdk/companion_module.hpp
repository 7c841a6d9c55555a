// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ea/sdk/export.hpp"

namespace ea::sdk {

/// A plugin's companion library (ea_add_plugin's LAZY_MODULE), loaded from the plugin's own
/// folder when the plugin first needs it. Heavy dependencies (OpenCV) live there, so that loading
/// the plugin, which the host does for every command, stays cheap. The library is unloaded with
/// this object: its functions must not throw, and nothing they return may point into it.
class EA_SDK_EXPORT CompanionModule {
 public:
  /// Loads `file_name` (e.g. "ea_masks_opencv.so") from the folder of the library that holds
  /// `anchor` (the address of any function of the plugin); throws Error naming the file and the
  /// loader's reason when it cannot.
  CompanionModule(std::string_view file_name, const void* anchor);
  ~CompanionModule();
  CompanionModule(CompanionModule&&) noexcept;
  CompanionModule& operator=(CompanionModule&&) noexcept;

  /// The exported function `name`, typed as `Signature`; throws Error when it is missing.
  template <class Signature>
  Signature* function(std::string_view name) const {
    return reinterpret_cast<Signature*>(address(name));
  }

 private:
  void* address(std::string_view name) const;
  struct Library;
  std::unique_ptr<Library> library_;
};

}  // namespace ea::sdk
