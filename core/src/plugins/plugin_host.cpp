// SPDX-License-Identifier: Apache-2.0
#include "ea/core/plugin_host.hpp"

#include <fmt/format.h>
#include <algorithm>

#include <boost/dll/shared_library.hpp>

#include "ea/core/failure.hpp"
#include "ea/core/plugin_boundary.hpp"
#include "ea/sdk/plugin.hpp"

namespace ea::core {

namespace fs = std::filesystem;

namespace {

std::string describe(const sdk::BuildStamp& stamp) {
  return fmt::format("ABI {}, GCC {}, C++11 string ABI {}, C++ standard {}, debug containers {}",
                     stamp.abi, stamp.compiler_major, stamp.glibcxx_cxx11_abi, stamp.cxx_standard,
                     stamp.glibcxx_debug);
}

[[noreturn]] void refuse(const fs::path& file, const std::string& reason) {
  throw Failure("cannot use plugin " + file.string() + ": " + reason + ".");
}

// The name a registration is found by: a format, or a metric's name.
const std::string& key_of(const sdk::ImporterInfo& info) {
  return info.format;
}
const std::string& key_of(const sdk::ExporterInfo& info) {
  return info.format;
}
const std::string& key_of(const sdk::MetricInfo& info) {
  return info.name;
}

template <class Registration>
const Registration* find_format(const std::vector<Registration>& registrations,
                                std::string_view format) {
  const auto found = std::find_if(registrations.begin(), registrations.end(),
                                  [&](const Registration& r) { return key_of(r.info) == format; });
  return found == registrations.end() ? nullptr : &*found;
}

// Creates through the plugin's factory, inside the boundary, and ties the object to its library.
template <class Interface, class Registration>
PluginPtr<Interface> make_from(const Registration& registration, const char* what) {
  std::unique_ptr<Interface> made =
      call_plugin(registration.plugin, {}, [&] { return registration.factory(); });
  if (!made) {
    throw Failure("plugin '" + registration.plugin + "' could not create its " + what + ".");
  }
  return PluginPtr<Interface>(made.release(), PluginDeleter<Interface>{registration.library});
}

// Stages a plugin's entries of one kind; a format someone loaded earlier keeps its first
// provider, and the later one is named in a warning.
template <class Registration, class Entry, class Info>
std::vector<Registration> accept_entries(const std::vector<Entry>& entries,
                                         const std::vector<Registration>& registered,
                                         const std::string& plugin, const LibraryHandle& library,
                                         const char* kind, std::vector<Info>& infos,
                                         Diagnostics& diagnostics) {
  std::vector<Registration> accepted;
  for (const Entry& entry : entries) {
    if (const Registration* earlier = find_format(registered, key_of(entry.info))) {
      diagnostics.warn(std::string(kind) + " '" + key_of(entry.info) + "' of plugin '" + plugin +
                       "' is ignored: plugin '" + earlier->plugin + "' provides it first");
      continue;
    }
    infos.push_back(entry.info);
    accepted.push_back({entry.info, plugin, entry.factory, library});
  }
  return accepted;
}

// Refuses `file` when it carries a build stamp unlike the host's, naming both builds.
void check_stamp(const fs::path& file, const boost::dll::shared_library& library) {
  if (!library.has(EA_PLUGIN_STAMP_SYMBOL)) {
    refuse(file, "it has no " EA_PLUGIN_STAMP_SYMBOL " symbol, so it is not an ea plugin");
  }
  const auto& stamp = library.get<const sdk::BuildStamp>(EA_PLUGIN_STAMP_SYMBOL);
  const sdk::BuildStamp host_stamp = sdk::current_build_stamp();
  if (stamp.magic != sdk::kStampMagic) {
    refuse(file, "its " EA_PLUGIN_STAMP_SYMBOL " symbol is not an ea build stamp");
  }
  if (!(stamp == host_stamp)) {
    refuse(file, "it was built as (" + describe(stamp) + ") but this ea is (" +
                     describe(host_stamp) + "); rebuild the plugin against this SDK");
  }
}

LibraryHandle open_library(const fs::path& file) {
  std::string reason;
  try {
    // rtld_now: an unresolved symbol must fail here, not at the first call into the plugin.
    return std::make_shared<const boost::dll::shared_library>(
        file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& error) {
    reason = error.what();
  }
  // A plugin built for another std::string or another SDK usually fails here on a symbol it
  // expects under another name. Loaded lazily, nothing of it is called, its stamp says why.
  try {
    const boost::dll::shared_library lazy(
        file, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
    check_stamp(file, lazy);
  } catch (const Failure&) {
    throw;
  } catch (const std::exception&) {
  }
  refuse(file, "the dynamic loader refused it (" + reason + ")");
}

}  // namespace

PluginHost::PluginHost(Diagnostics& diagnostics) : diagnostics_(&diagnostics) {}
PluginHost::~PluginHost() = default;

const PluginInfo& PluginHost::load_file(const fs::path& requested) {
  const fs::path file = fs::absolute(requested);
  const auto name = plugin_name_from_filename(file.filename().string());
  if (!name) {
    refuse(file, "its file name is not ea_plugin_<name>.so with <name> in [a-z][a-z0-9_]*");
  }
  if (!fs::is_regular_file(file))
    refuse(file, "there is no such file");
  if (const auto loaded = std::find_if(plugins_.begin(), plugins_.end(),
                                       [&](const PluginInfo& p) { return p.name == *name; });
      loaded != plugins_.end()) {
    diagnostics_->warn("plugin '" + *name + "' in " + file.string() +
                       " is ignored: " + loaded->file.string() + " was loaded first");
    return *loaded;
  }

  LibraryHandle library = open_library(file);
  // Read and compare the stamp before calling anything: a mismatched build may crash on the
  // first call through its vtables.
  check_stamp(file, *library);
  if (!library->has(EA_PLUGIN_REGISTER_SYMBOL)) {
    refuse(file, "it has no " EA_PLUGIN_REGISTER_SYMBOL " function");
  }
  auto& register_plugin = library->get<sdk::RegisterFunction>(EA_PLUGIN_REGISTER_SYMBOL);

  // Entries are staged in the registrar and committed below only when everything succeeded.
  sdk::Registrar registrar;
  if (register_plugin(registrar) != 0) {
    refuse(file, "its registration failed: " + registrar.failure());
  }
  if (registrar.plugin_name() != *name) {
    refuse(file, "it declares the name '" + registrar.plugin_name() + "' but its file name says '" +
                     *name + "'");
  }

  PluginInfo info{*name, registrar.plugin_version(), file, {}, {}, {}};
  const auto importers = accept_entries(registrar.importers(), importers_, *name, library, "format",
                                        info.importers, *diagnostics_);
  const auto exporters = accept_entries(registrar.exporters(), exporters_, *name, library,
                                        "export format", info.exporters, *diagnostics_);
  const auto metrics = accept_entries(registrar.metrics(), metrics_, *name, library, "metric",
                                      info.metrics, *diagnostics_);

  libraries_.push_back(library);
  importers_.insert(importers_.end(), importers.begin(), importers.end());
  exporters_.insert(exporters_.end(), exporters.begin(), exporters.end());
  metrics_.insert(metrics_.end(), metrics.begin(), metrics.end());
  plugins_.push_back(std::move(info));
  diagnostics_->debug("loaded plugin '" + *name + "' from " + file.string());
  return plugins_.back();
}

void PluginHost::load_all(const std::vector<PluginCandidate>& candidates) {
  for (const PluginCandidate& candidate : candidates) {
    try {
      load_file(candidate.file);
    } catch (const Failure& error) {
      diagnostics_->warn(std::string(error.what()) + " It is skipped.");
    }
  }
}

const ImporterRegistration* PluginHost::find_importer(std::string_view format) const {
  return find_format(importers_, format);
}

PluginPtr<sdk::Importer> PluginHost::make_importer(const ImporterRegistration& registration) const {
  return make_from<sdk::Importer>(registration, "importer");
}

const ExporterRegistration* PluginHost::find_exporter(std::string_view format) const {
  return find_format(exporters_, format);
}

PluginPtr<sdk::Exporter> PluginHost::make_exporter(const ExporterRegistration& registration) const {
  return make_from<sdk::Exporter>(registration, "exporter");
}

const MetricRegistration* PluginHost::find_metric(std::string_view name) const {
  return find_format(metrics_, name);
}

PluginPtr<sdk::Metric> PluginHost::make_metric(const MetricRegistration& registration) const {
  return make_from<sdk::Metric>(registration, "metric");
}

}  // namespace ea::core
