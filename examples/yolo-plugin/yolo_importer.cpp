// SPDX-License-Identifier: Apache-2.0
#include "yolo_importer.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <ea/sdk/error.hpp>
#include <ea/sdk/file_targets.hpp>

#include "yolo_line.hpp"

namespace yolo {

namespace fs = std::filesystem;
namespace sdk = ea::sdk;

namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::vector<fs::path> text_files(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// --names: one class per line, index = line number from 0.
std::vector<std::string> read_names(const std::string& file) {
  std::ifstream in(file);
  if (!in)
    throw sdk::UsageError("--names " + file + " cannot be read");
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
      line.pop_back();
    names.push_back(line);
  }
  return names;
}

// Classes by lower-case name → feature_hash.
std::map<std::string, std::string> classes_of(const sdk::ProjectView& project) {
  std::map<std::string, std::string> classes;
  for (const sdk::OntologyObject& object : project.objects())
    classes.emplace(lowercase(object.name), object.feature_hash);
  return classes;
}

// The class a line's label names: an index into `names`, or a name.
std::string class_name(const std::string& label, const std::vector<std::string>& names) {
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(label.data(), label.data() + label.size(), index);
  if (error != std::errc{} || end != label.data() + label.size())
    return label;
  if (names.empty())
    throw LineProblem("class " + label + " is an index: give the class names with --names FILE");
  if (index >= names.size()) {
    throw LineProblem("class index " + label + " is beyond the " + std::to_string(names.size()) +
                      " names of --names");
  }
  return names[index];
}

// The box in pixels of `unit`, kept as the file says even where it passes the image's edge
// (evaluation must see the box the model wrote, as COCO results keep theirs). With `round`, its
// corners go to whole pixels, as review_object_detection_metrics does when it reads relative
// boxes that were written from whole-pixel ones.
sdk::BoundingBox pixel_box(const Detection& detection, const sdk::DataUnit& unit, bool round) {
  const double width = unit.width, height = unit.height;
  double x0 = (detection.cx - detection.w / 2) * width,
         y0 = (detection.cy - detection.h / 2) * height;
  double x1 = x0 + detection.w * width, y1 = y0 + detection.h * height;
  if (round) {
    x0 = std::round(x0);
    y0 = std::round(y0);
    x1 = std::round(x1);
    y1 = std::round(y1);
  }
  return sdk::BoundingBox{x0, y0, x1 - x0, y1 - y0, 0};
}

}  // namespace

std::vector<sdk::OptionSpec> YoloImporter::options() const {
  return {{"names", sdk::OptionType::path,
           "A file of class names, one per line: class index i is line i (from 0)", ""},
          {"score-first", sdk::OptionType::flag,
           "Lines are `class score cx cy w h` instead of `class cx cy w h score`", ""},
          {"round", sdk::OptionType::flag,
           "Round box corners to whole pixels (relative boxes written from whole-pixel ones)", ""}};
}

int YoloImporter::probe(const sdk::Input& input) const {
  std::error_code error;
  if (!fs::is_directory(input.path, error))
    return 0;
  int seen = 0;
  for (const fs::path& file : text_files(input.path)) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line) && line.find_first_not_of(" \t\r") == std::string::npos) {
    }
    if (line.empty())
      continue;
    try {
      const Detection detection = parse_line(line, false);
      if (detection.cx < 0 || detection.cx > 1 || detection.cy < 0 || detection.cy > 1)
        return 0;
    } catch (const LineProblem&) {
      return 0;
    }
    if (++seen == 3)
      break;
  }
  return seen > 0 ? 40 : 0;
}

void YoloImporter::read(const sdk::Input& input, sdk::ImportKind kind,
                        const sdk::OptionValues& options, const sdk::ProjectView& project,
                        sdk::RecordSink& sink) const {
  if (kind != sdk::ImportKind::predictions)
    throw sdk::UsageError("the yolo format holds predictions only");
  std::error_code error;
  if (!fs::is_directory(input.path, error))
    throw sdk::InputError("the yolo format reads a folder of <image stem>.txt files");
  const std::vector<std::string> names =
      options.has("names") ? read_names(*options.text("names")) : std::vector<std::string>{};
  const bool score_first = options.flag("score-first");
  const bool round = options.flag("round");
  const std::map<std::string, std::string> classes = classes_of(project);
  const sdk::FileTargets targets(project, {"coco.image"});
  const std::vector<fs::path> files = text_files(input.path);
  if (files.empty())
    throw sdk::InputError("the folder holds no .txt files");

  sdk::Prediction prediction;
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    const std::optional<sdk::FileTarget> target = targets.find(name);
    if (!target) {
      sink.reject({}, name + " matches no data unit");
      continue;
    }
    const sdk::DataUnit* unit = project.find_data_unit(target->data_hash);
    std::ifstream in(file);
    std::string line;
    for (std::uint64_t number = 1; std::getline(in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos)
        continue;
      const sdk::RecordLocation where{sdk::RecordLocation::Kind::line, number};
      try {
        const Detection detection = parse_line(line, score_first);
        if (!detection.score)
          throw LineProblem("it has no score; YOLO predictions need `class cx cy w h score`");
        const std::string label = class_name(detection.label, names);
        const auto found = classes.find(lowercase(label));
        if (found == classes.end())
          throw LineProblem("class \"" + label + "\" is not in the project's ontology");
        sdk::ObjectDetection object;
        object.feature_hash = found->second;
        object.units = sdk::Units::pixels;
        object.geometry = pixel_box(detection, *unit, round);
        prediction.data_hash = target->data_hash;
        prediction.frame = target->frame;
        prediction.confidence = *detection.score;
        prediction.content = std::move(object);
        sink.add(prediction, where);
      } catch (const LineProblem& problem) {
        sink.reject({}, name + ", line " + std::to_string(number) + ": " + problem.what());
      }
    }
  }
}

std::unique_ptr<sdk::Importer> make_yolo_importer() {
  return std::make_unique<YoloImporter>();
}

}  // namespace yolo
