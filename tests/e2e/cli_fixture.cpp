// SPDX-License-Identifier: Apache-2.0
#include "cli_fixture.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

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

void write_clip(const std::filesystem::path& file, int frames) {
  cv::VideoWriter writer(file.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10,
                         cv::Size(64, 48));
  if (!writer.isOpened())
    throw std::runtime_error("cannot write the clip " + file.string());
  for (int i = 0; i < frames; ++i)
    writer.write(cv::Mat(48, 64, CV_8UC3, cv::Scalar(i * 30, 0, 0)));
}

MediaProject init_media_project(const std::filesystem::path& dir,
                                const std::filesystem::path& media,
                                const std::string& ontology_json) {
  write_file(dir / "ontology.json", ontology_json);
  MediaProject project{dir / "p", {}};
  const auto init = test::ea({"-t", project.root.string(), "init", "--images", media.string(),
                              "--ontology", (dir / "ontology.json").string()});
  if (init.exit_code != 0)
    throw std::runtime_error("ea init failed: " + init.err);
  const auto mapping = nlohmann::ordered_json::parse(
      test::ea({"-t", project.root.string(), "print", "data-mapping"}).out);
  project.first_hash = mapping.begin().key();
  return project;
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
