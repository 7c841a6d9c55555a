// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using ea::test::CliProject;
using nlohmann::json;

TEST_CASE("print data-mapping: {data_hash: title}, --limit, and --json writes the file here") {
  const CliProject project;
  const auto all = project.ea({"print", "data-mapping"});
  REQUIRE(all.exit_code == 0);
  CHECK(json::parse(all.out) == json{{project.hash(0), "img_1.jpg"},
                                     {project.hash(1), "img_2.jpg"},
                                     {project.hash(2), "img_3.jpg"}});
  CHECK_FALSE(std::filesystem::exists(project.scratch() / "data_mapping.json"));

  const auto limited = project.ea({"print", "data-mapping", "--limit", "2", "--json"});
  REQUIRE(limited.exit_code == 0);
  CHECK(json::parse(limited.out).size() == 2);
  std::ifstream written(project.scratch() / "data_mapping.json");
  REQUIRE(written.good());
  CHECK(json::parse(written) == json::parse(limited.out));
}

TEST_CASE("print ontology: same-name objects of different shapes do not collide") {
  const CliProject project;
  const auto printed = project.ea({"print", "ontology", "--json"});
  REQUIRE(printed.exit_code == 0);
  const json expected = {
      {"objects",
       {{"person (bounding_box)", "personbb"},
        {"person (polygon)", "personpg"},
        {"dog", "dogmask1"}}},
      {"classifications",
       {{"sunny",
         {{"feature_hash", "weather1"},
          {"attribute_hash", "weathatt"},
          {"option_hash", "optsunny"}}},
        {"rainy",
         {{"feature_hash", "weather1"},
          {"attribute_hash", "weathatt"},
          {"option_hash", json::parse(printed.out)["classifications"]["rainy"]["option_hash"]}}}}}};
  CHECK(json::parse(printed.out) == expected);
  CHECK(json::parse(printed.out)["classifications"]["rainy"]["option_hash"]
            .get<std::string>()
            .size() == 8);
  std::ifstream written(project.scratch() / "ontology_output.json");
  REQUIRE(written.good());
  CHECK(json::parse(written) == expected);
}
