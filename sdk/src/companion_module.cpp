// SPDX-License-Identifier: Apache-2.0
#include "ea/sdk/companion_module.hpp"

#include <filesystem>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

#include "ea/sdk/error.hpp"

namespace ea::sdk {

struct CompanionModule::Library {
  std::filesystem::path file;
  boost::dll::shared_library library;
};

CompanionModule::CompanionModule(std::string_view file_name, const void* anchor) {
  std::error_code error;
  const std::filesystem::path owner = boost::dll::symbol_location_ptr(anchor, error);
  const std::filesystem::path file = owner.parent_path() / std::string(file_name);
  if (error)
    throw Error("cannot find the folder of the plugin that needs " + file.string());
  try {
    library_ = std::make_unique<Library>(Library{
        file, boost::dll::shared_library(
                  file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local)});
  } catch (const std::exception& failure) {
    throw Error("cannot load " + file.string() + " (" + failure.what() +
                "); reinstall the plugin it belongs to");
  }
}

CompanionModule::~CompanionModule() = default;

CompanionModule::CompanionModule(CompanionModule&&) noexcept = default;
CompanionModule& CompanionModule::operator=(CompanionModule&&) noexcept = default;

void* CompanionModule::address(std::string_view name) const {
  const std::string symbol(name);
  if (!library_->library.has(symbol))
    throw Error(library_->file.string() + " has no function " + symbol);
  return reinterpret_cast<void*>(library_->library.get<void()>(symbol));
}

}  // namespace ea::sdk
