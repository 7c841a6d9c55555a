// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using nlohmann::json;

namespace {
std::string fixture(const std::string& name) {
  return (ea::test::fixture_plugin_dir() / ("ea_plugin_" + name + ".so")).string();
}
}  // namespace

TEST_CASE("plugins list --json shows the native plugin with its formats") {
  const auto listed = ea::test::ea({"plugins", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  const json plugins = json::parse(listed.out);
  const auto found = std::find_if(plugins.begin(), plugins.end(),
                                  [](const json& plugin) { return plugin["name"] == "native"; });
  REQUIRE(found != plugins.end());
  const json& native = *found;
  CHECK(native["name"] == "native");
  CHECK(native["kinds"] == json::array({"importer"}));
  CHECK(native["importers"][0]["format"] == "native");
  CHECK(native["importers"][0]["extensions"] == json::array({".jsonl", ".ndjson", ".json"}));
  CHECK(native["file"].get<std::string>().ends_with("ea_plugin_native.so"));
}

TEST_CASE(
    "EA_PLUGIN_PATH replaces the default folders and unusable plugins are skipped with a reason") {
  const auto listed = ea::test::ea({"plugins", "list", "--json"}, std::filesystem::current_path(),
                                   {{"EA_PLUGIN_PATH", ea::test::fixture_plugin_dir().string()}});
  REQUIRE(listed.exit_code == 0);
  std::vector<std::string> names;
  for (const auto& plugin : json::parse(listed.out))
    names.push_back(plugin["name"]);
  CHECK(names == std::vector<std::string>{"fixture_good", "format_clash", "metric_fixture"});
  CHECK(listed.err.find(fixture("abi_mismatch")) != std::string::npos);
  CHECK(listed.err.find("It is skipped.") != std::string::npos);
}

TEST_CASE("--plugin loads exactly that file, first") {
  const auto listed =
      ea::test::ea({"--plugin", fixture("fixture_good"), "plugins", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  const json plugins = json::parse(listed.out);
  CHECK(plugins[0]["name"] == "fixture_good");
  CHECK(plugins[0]["version"] == "2.5.0");
  CHECK(plugins.size() >= 2);

  const auto refused = ea::test::ea({"--plugin", fixture("abi_mismatch"), "plugins", "list"});
  CHECK(refused.exit_code != 0);
  CHECK(ea::test::line_count(refused.err) == 1);
}

TEST_CASE("plugins check says exactly why a file is or is not usable") {
  const auto good = ea::test::ea({"plugins", "check", fixture("fixture_good")});
  CHECK(good.exit_code == 0);
  CHECK(good.out.find("is a usable ea plugin") != std::string::npos);
  CHECK(good.out.find("format fixture") != std::string::npos);

  const auto abi = ea::test::ea({"plugins", "check", fixture("abi_mismatch")});
  CHECK(abi.exit_code != 0);
  CHECK(abi.err.find("it was built as (ABI ") != std::string::npos);
  CHECK(abi.err.find(fixture("abi_mismatch")) != std::string::npos);

  const auto old_string = ea::test::ea({"plugins", "check", fixture("old_string_abi")});
  CHECK(old_string.exit_code != 0);
  CHECK(old_string.err.find(fixture("old_string_abi")) != std::string::npos);
  CHECK(old_string.err.find("C++11 string ABI 0, ") != std::string::npos);
  CHECK(old_string.err.find("C++11 string ABI 1, ") != std::string::npos);

  const auto throws = ea::test::ea({"plugins", "check", fixture("throws_in_register")});
  CHECK(throws.exit_code != 0);
  CHECK(throws.err.find("registration failed: the fixture fails on purpose") != std::string::npos);

  const auto no_entry = ea::test::ea({"plugins", "check", fixture("no_entry_point")});
  CHECK(no_entry.exit_code != 0);
  CHECK(no_entry.err.find("has no ea_plugin_stamp symbol") != std::string::npos);
}

TEST_CASE("plugins list shows the COCO plugin as importer and exporter") {
  const auto listed = ea::test::ea({"plugins", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  const json plugins = json::parse(listed.out);
  const auto coco = std::find_if(plugins.begin(), plugins.end(),
                                 [](const json& plugin) { return plugin["name"] == "coco"; });
  REQUIRE(coco != plugins.end());
  CHECK((*coco)["kinds"] == json::array({"importer", "exporter"}));
  CHECK((*coco)["exporters"][0]["format"] == "coco");
}
