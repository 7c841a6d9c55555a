// SPDX-License-Identifier: Apache-2.0
#include "host_module.hpp"

#include <filesystem>

#include <boost/dll/runtime_symbol_info.hpp>

#include "ea/core/failure.hpp"

namespace ea::core {

namespace fs = std::filesystem;

std::unique_ptr<boost::dll::shared_library> load_host_module(const std::string& file_name) {
  const fs::path beside =
      boost::dll::program_location().parent_path() / ".." / "lib" / "ea" / file_name;
  const fs::path installed = fs::path(EA_INSTALL_MODULE_DIR) / file_name;
  const fs::path& chosen = fs::exists(beside) ? beside : installed;
  try {
    return std::make_unique<boost::dll::shared_library>(chosen, boost::dll::load_mode::rtld_now);
  } catch (const std::exception& error) {
    throw Failure("cannot load " + chosen.string() + " (" + error.what() + "); reinstall ea.");
  }
}

}  // namespace ea::core
