// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <exception>

#include "ea/sdk/abi.hpp"
#include "ea/sdk/registrar.hpp"

/// The symbol name of a plugin's build stamp (data, read before anything is called).
#define EA_PLUGIN_STAMP_SYMBOL "ea_plugin_stamp"
/// The symbol name of a plugin's registration function.
#define EA_PLUGIN_REGISTER_SYMBOL "ea_plugin_register"

namespace ea::sdk {
/// The signature of `ea_plugin_register`: returns 0 on success, else the reason is in the
/// registrar.
using RegisterFunction = int(Registrar&) noexcept;
}  // namespace ea::sdk

/// Declares a plugin and opens its registration block, which receives a Registrar named
/// `registrar`:
///
///     EA_PLUGIN("native", "1.0.0") { registrar.add_importer({...}, &make_native_importer); }
///
/// It exports the build stamp and the registration function with fixed names. The block must not
/// rely on static initialisers: dlopen runs them before the host has checked the stamp.
#define EA_PLUGIN(plugin_name, plugin_version)                                                    \
  extern "C" __attribute__((visibility("default"))) const ::ea::sdk::BuildStamp ea_plugin_stamp = \
      ::ea::sdk::current_build_stamp();                                                           \
  static void ea_plugin_register_block(::ea::sdk::Registrar& registrar);                          \
  extern "C" __attribute__((visibility("default"))) int ea_plugin_register(                       \
      ::ea::sdk::Registrar& registrar) noexcept {                                                 \
    try {                                                                                         \
      registrar.set_plugin(plugin_name, plugin_version);                                          \
      ea_plugin_register_block(registrar);                                                        \
      return 0;                                                                                   \
    } catch (const std::exception& error) {                                                       \
      registrar.fail(error.what());                                                               \
    } catch (...) {                                                                               \
      registrar.fail("an exception that is not a std::exception");                                \
    }                                                                                             \
    return 1;                                                                                     \
  }                                                                                               \
  static void ea_plugin_register_block([[maybe_unused]] ::ea::sdk::Registrar& registrar)
