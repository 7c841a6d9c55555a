// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <sstream>

#include "ea/core/failure.hpp"
#include "ea/core/plugin_host.hpp"
#include "ea/sdk/abi.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using ea::core::Failure;
using ea::core::PluginHost;

namespace {

fs::path fixture(const std::string& name) {
  return ea::test::fixture_plugin_dir() / ("ea_plugin_" + name + ".so");
}

fs::path native_plugin() {
  return fs::path(EA_TEST_BUILD_PLUGIN_DIR) / "ea_plugin_native.so";
}

std::string refusal(PluginHost& host, const fs::path& file) {
  try {
    host.load_file(file);
  } catch (const Failure& error) {
    return error.what();
  }
  FAIL("the plugin " << file << " was accepted");
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the native plugin loads and registers its format") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  const auto& info = host.load_file(native_plugin());
  CHECK(info.name == "native");
  REQUIRE(info.importers.size() == 1);
  CHECK(info.importers[0].format == "native");
  REQUIRE(host.find_importer("native") != nullptr);
  CHECK(host.find_importer("native")->plugin == "native");
}

TEST_CASE("a plugin built for another ABI is refused, naming the file and both values") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  const std::string message = refusal(host, fixture("abi_mismatch"));
  CHECK(contains(message, fixture("abi_mismatch").string()));
  CHECK(contains(message, "ABI " + std::to_string(ea::sdk::kAbiVersion + 1)));
  CHECK(contains(message, "this ea is (ABI " + std::to_string(ea::sdk::kAbiVersion)));
  CHECK(host.plugins().empty());
  CHECK(host.importers().empty());
}

TEST_CASE("a plugin really compiled with _GLIBCXX_USE_CXX11_ABI=0 is refused by its stamp") {
  // Its SDK calls name the old std::string, so the eager load fails on a symbol: the host then
  // reads its stamp without running it and says why, naming both builds.
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  const std::string message = refusal(host, fixture("old_string_abi"));
  CHECK(contains(message, fixture("old_string_abi").string()));
  CHECK(contains(message, "it was built as (ABI " + std::to_string(ea::sdk::kAbiVersion) +
                              ", GCC " + std::to_string(__GNUC__) + ", C++11 string ABI 0"));
  CHECK(contains(message, "but this ea is (ABI " + std::to_string(ea::sdk::kAbiVersion) + ", GCC " +
                              std::to_string(__GNUC__) + ", C++11 string ABI 1"));
  CHECK(host.plugins().empty());
}

TEST_CASE("a plugin with another std::string ABI is refused before any call") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  const std::string message = refusal(host, fixture("stamp_mismatch"));
  const int ours = ea::sdk::current_build_stamp().glibcxx_cxx11_abi;
  CHECK(contains(message, fixture("stamp_mismatch").string()));
  CHECK(contains(message, "C++11 string ABI " + std::to_string(ours == 1 ? 0 : 1)));
  CHECK(contains(message, "C++11 string ABI " + std::to_string(ours)));
  CHECK(host.plugins().empty());
}

TEST_CASE("a plugin that throws while registering leaves the registry unchanged") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  host.load_file(native_plugin());
  const auto plugins_before = host.plugins().size();
  const auto importers_before = host.importers().size();
  const std::string message = refusal(host, fixture("throws_in_register"));
  CHECK(contains(message, fixture("throws_in_register").string()));
  CHECK(contains(message, "registration failed: the fixture fails on purpose"));
  CHECK(host.plugins().size() == plugins_before);
  CHECK(host.importers().size() == importers_before);
  CHECK(host.find_importer("half-registered") == nullptr);
}

TEST_CASE("a library without the entry symbols is refused with the reason") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  const std::string message = refusal(host, fixture("no_entry_point"));
  CHECK(contains(message, "has no ea_plugin_stamp symbol"));
}

TEST_CASE("a plugin whose declared name differs from its file name is refused") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  CHECK(contains(refusal(host, fixture("misnamed")), "declares the name 'something_else'"));
}

TEST_CASE("explicit files with a bad name or missing are refused") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  const ea::test::TempDir dir;
  fs::copy_file(fixture("fixture_good"), dir / "fixture_good.so");
  CHECK(contains(refusal(host, dir / "fixture_good.so"), "is not ea_plugin_<name>.so"));
  CHECK(contains(refusal(host, dir / "ea_plugin_absent.so"), "there is no such file"));
}

TEST_CASE("loading a folder skips unusable plugins with a warning and keeps the good ones") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  host.load_file(native_plugin());
  const auto candidates = ea::core::scan_plugin_dirs({ea::test::fixture_plugin_dir()}, diagnostics);
  host.load_all(candidates);

  std::vector<std::string> loaded;
  for (const auto& plugin : host.plugins())
    loaded.push_back(plugin.name);
  CHECK(loaded ==
        std::vector<std::string>{"native", "fixture_good", "format_clash", "metric_fixture"});
  const std::string warnings = log.str();
  for (const char* skipped :
       {"abi_mismatch", "stamp_mismatch", "throws_in_register", "no_entry_point", "misnamed"}) {
    CAPTURE(skipped);
    CHECK(contains(warnings, fixture(skipped).string()));
  }
  // The native plugin came first, so the clashing plugin's "native" format is ignored.
  CHECK(host.find_importer("native")->plugin == "native");
  CHECK(contains(warnings, "format 'native' of plugin 'format_clash' is ignored"));
  CHECK(host.find_importer("fixture") != nullptr);
}

TEST_CASE("a plugin-made object keeps its library loaded") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  PluginHost host(diagnostics);
  host.load_file(fixture("fixture_good"));
  const auto* registration = host.find_importer("fixture");
  REQUIRE(registration != nullptr);
  const long before = registration->library.use_count();
  {
    const auto importer = host.make_importer(*registration);
    CHECK(registration->library.use_count() == before + 1);
    CHECK(importer->options().size() == 4);
  }
  CHECK(registration->library.use_count() == before);
}
