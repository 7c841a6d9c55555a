// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <sstream>

#include "ea/core/plugin_directory.hpp"
#include "ea/sdk/abi.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using ea::core::plugin_name_from_filename;

TEST_CASE("plugin file names follow ea_plugin_<name>.so") {
  struct Case {
    const char* file;
    const char* name;  // nullptr: not a plugin file
  };
  const Case cases[] = {
      {"ea_plugin_native.so", "native"},       {"ea_plugin_coco2.so", "coco2"},
      {"ea_plugin_my_format.so", "my_format"}, {"ea_plugin_.so", nullptr},
      {"ea_plugin_Native.so", nullptr},        {"ea_plugin_2d.so", nullptr},
      {"ea_plugin_my-format.so", nullptr},     {"ea_plugin_native.so.1", nullptr},
      {"ea_plugin_native.dll", nullptr},       {"libea_plugin_native.so", nullptr},
      {"ea_plugin_native", nullptr},           {"native.so", nullptr},
      {"ea_plugin_na tive.so", nullptr},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    const auto name = plugin_name_from_filename(c.file);
    if (c.name == nullptr) {
      CHECK_FALSE(name.has_value());
    } else {
      REQUIRE(name.has_value());
      CHECK(*name == c.name);
    }
  }
}

TEST_CASE("search folders") {
  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, false);
  ea::core::PluginSearchSettings settings;
  settings.executable = "/opt/ea/bin/ea";
  settings.install_dir = "/usr/local/lib/ea/plugins/abi-1";
  settings.build_bin_dir = "/work/build/bin";
  settings.build_plugin_dir = "/work/build/plugins";
  const std::string abi = "abi-" + std::to_string(ea::sdk::kAbiVersion);

  SUBCASE("defaults: beside the executable, then the install folder; never the current folder") {
    const auto dirs = ea::core::plugin_search_dirs(settings, diagnostics);
    REQUIRE(dirs.size() == 2);
    CHECK(dirs[0] == fs::path("/opt/ea/lib/ea/plugins") / abi);
    CHECK(dirs[1] == fs::path("/usr/local/lib/ea/plugins/abi-1"));
    for (const auto& dir : dirs)
      CHECK(dir != fs::current_path());
  }
  SUBCASE("the build tree's plugin folder only when ea runs from the build tree") {
    settings.executable = "/work/build/bin/ea";
    const auto dirs = ea::core::plugin_search_dirs(settings, diagnostics);
    REQUIRE(dirs.size() == 3);
    CHECK(dirs[2] == fs::path("/work/build/plugins"));
  }
  SUBCASE("EA_PLUGIN_PATH replaces the defaults, in order, dropping relative entries") {
    settings.env_path = "/a/b::relative/dir:/c";
    const auto dirs = ea::core::plugin_search_dirs(settings, diagnostics);
    REQUIRE(dirs.size() == 2);
    CHECK(dirs[0] == fs::path("/a/b"));
    CHECK(dirs[1] == fs::path("/c"));
    REQUIRE(diagnostics.warnings().size() == 1);
    CHECK(diagnostics.warnings()[0].find("relative/dir") != std::string::npos);
  }
}

TEST_CASE("scanning: bad names skipped, first of a name wins with a warning") {
  const ea::test::TempDir first, second;
  const fs::path good = ea::test::fixture_plugin_dir() / "ea_plugin_fixture_good.so";
  fs::copy_file(good, first / "ea_plugin_fixture_good.so");
  fs::copy_file(good, second / "ea_plugin_fixture_good.so");
  fs::copy_file(good, first / "libfixture_good.so");
  fs::copy_file(good, first / "ea_plugin_Fixture.so");
  ea::test::write_file(first / "README.txt", "not a plugin");

  std::ostringstream log;
  ea::core::Diagnostics diagnostics(log, true);
  const auto found =
      ea::core::scan_plugin_dirs({first.path(), second.path(), "/no/such/dir"}, diagnostics);
  REQUIRE(found.size() == 1);
  CHECK(found[0].name == "fixture_good");
  CHECK(found[0].file == first / "ea_plugin_fixture_good.so");
  REQUIRE(diagnostics.warnings().size() == 1);
  CHECK(diagnostics.warnings()[0].find((second / "ea_plugin_fixture_good.so").string()) !=
        std::string::npos);
  CHECK(diagnostics.warnings()[0].find("comes first") != std::string::npos);
  const std::string debug = log.str();
  CHECK(debug.find("skipping " + (first / "libfixture_good.so").string()) != std::string::npos);
  CHECK(debug.find("skipping " + (first / "ea_plugin_Fixture.so").string()) != std::string::npos);
  CHECK(debug.find("/no/such/dir does not exist") != std::string::npos);
}
