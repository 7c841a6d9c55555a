// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include <boost/dll/shared_library.hpp>

namespace ea::core {

/// Loads one of the host's own modules (ea_media.so, ea_plots.so) from beside `ea` (build tree,
/// relocatable install) or from the install folder; throws Failure when it cannot.
std::unique_ptr<boost::dll::shared_library> load_host_module(const std::string& file_name);

}  // namespace ea::core
