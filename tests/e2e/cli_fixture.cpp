// SPDX-License-Identifier: Apache-2.0
#include "cli_fixture.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ea::test {

CliProject::CliProject() : root_(dir_ / "project") {
  const auto ontology = file("ontology.json", R"({
    "objects": [
      {"name": "Person", "shape": "bounding_box", "feature_hash": "personbb"},
      {"name": "person", "shape": "polygon", "feature_hash": "personpg"},
      {"name": "dog", "shape": "bitmask", "feature_hash": "dogmask1"}
    ],
    "classifications": [
      {"name": "weather", "feature_hash": "weather1", "attribute_hash": "weathatt",
       "options": [{"name": "sunny", "option_hash": "optsunny"}, {"name": "rainy"}]}
    ]})");
  const auto init =
      test::ea({"-t", root_.string(), "init", "--images", (data_dir() / "images").string(),
                "--ontology", ontology.string(), "--name", "cli"},
               dir_.path());
  if (init.exit_code != 0)
    throw std::runtime_error("ea init failed: " + init.err);
  const auto mapping = ea({"print", "data-mapping"});
  const auto parsed = nlohmann::ordered_json::parse(mapping.out);
  for (const auto& [hash, title] : parsed.items()) {
    static_cast<void>(title);
    hashes_.push_back(hash);
  }
  if (hashes_.size() != 3)
    throw std::runtime_error("the test project needs three images");
}

CommandResult CliProject::ea(const std::vector<std::string>& arguments) const {
  std::vector<std::string> all{"-t", root_.string()};
  all.insert(all.end(), arguments.begin(), arguments.end());
  return test::ea(all, dir_.path());
}

std::filesystem::path CliProject::file(const std::string& name, const std::string& text) const {
  const auto path = dir_ / name;
  write_file(path, text);
  return path;
}

std::string box_record(const std::string& data_hash, double x, double y, double w, double h,
                       double confidence) {
  return fmt::format(
      R"({{"data_hash":"{}","frame":0,"confidence":{},"object":{{"feature_hash":"personbb",)"
      R"("format":"bounding-box","data":{{"x":{},"y":{},"w":{},"h":{}}}}}}})",
      data_hash, confidence, x, y, w, h);
}

std::string classification_record(const std::string& data_hash, double confidence) {
  return fmt::format(
      R"({{"data_hash":"{}","confidence":{},"classification":{{"feature_hash":"weather1",)"
      R"("attribute_hash":"weathatt","option_hash":"optsunny"}}}})",
      data_hash, confidence);
}

}  // namespace ea::test
