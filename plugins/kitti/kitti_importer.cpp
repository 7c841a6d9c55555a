// SPDX-License-Identifier: Apache-2.0
#include "kitti_importer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <map>
#include <set>

#include "ea/sdk/error.hpp"
#include "ea/sdk/records.hpp"
#include "kitti_files.hpp"
#include "kitti_targets.hpp"

namespace ea::kitti {

namespace fs = std::filesystem;

namespace {

using Location = sdk::RecordLocation;

constexpr std::string_view kDontCare = "dontcare";

// What the first non-blank line of a file is.
enum class FirstLine { none, kitti, other };

FirstLine first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  do {
    if (!std::getline(in, line))
      return FirstLine::none;
  } while (line.find_first_not_of(" \t\r") == std::string::npos);
  for (const bool results : {false, true}) {
    try {
      parse_line(line, results, std::nullopt);
      return FirstLine::kitti;
    } catch (const LineProblem&) {
    }
  }
  return FirstLine::other;
}

// "WxH" from --image-size.
std::pair<std::uint32_t, std::uint32_t> image_size(const std::string& text) {
  const std::size_t x = text.find('x');
  std::uint32_t width = 0, height = 0;
  const bool read =
      x != std::string::npos &&
      std::from_chars(text.data(), text.data() + x, width).ec == std::errc{} &&
      std::from_chars(text.data() + x + 1, text.data() + text.size(), height).ec == std::errc{};
  if (!read || width == 0 || height == 0)
    throw sdk::UsageError("--image-size needs WIDTHxHEIGHT in pixels, e.g. 1242x375");
  return {width, height};
}

sdk::ObjectDetection detection(const KittiObject& object, const std::string& feature_hash) {
  sdk::ObjectDetection detection;
  detection.feature_hash = feature_hash;
  detection.units = sdk::Units::pixels;
  detection.geometry = sdk::BoundingBox{object.left, object.top, object.right - object.left,
                                        object.bottom - object.top, 0};
  detection.attributes = {{"truncated", object.truncated},
                          {"occluded", object.occluded},
                          {"alpha", object.alpha},
                          {"height_3d", object.height},
                          {"width_3d", object.width},
                          {"length_3d", object.length},
                          {"x_3d", object.x},
                          {"y_3d", object.y},
                          {"z_3d", object.z},
                          {"rotation_y", object.rotation_y}};
  return detection;
}

// The image files of `folder` (not its sub-folders) by stem, as KITTI's image_2 holds them.
std::map<std::string, std::string> images_by_stem(const std::string& folder) {
  constexpr std::array<std::string_view, 6> kImages{".png", ".jpg", ".jpeg",
                                                    ".bmp", ".tif", ".tiff"};
  std::map<std::string, std::string> by_stem;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string extension = lowercase(entry.path().extension().string());
    if (entry.is_regular_file() &&
        std::find(kImages.begin(), kImages.end(), extension) != kImages.end())
      by_stem.emplace(entry.path().stem().string(), entry.path().filename().string());
  }
  return by_stem;
}

std::optional<std::string> image_named(const std::map<std::string, std::string>& images,
                                       const std::string& stem) {
  const auto found = images.find(stem);
  return found == images.end() ? std::nullopt : std::optional(found->second);
}

Location whole_file() {
  return {Location::Kind::whole_file, 0};
}

// Ontology objects for the classes of the files the project does not have yet (ground truth).
void add_classes(const std::vector<ParsedFile>& files, ClassNames& classes, sdk::RecordSink& sink) {
  std::set<std::string> seen;
  for (const ParsedFile& file : files) {
    for (const auto& [line, object] : file.objects) {
      if (!seen.insert(lowercase(object.type)).second || !classes.find(object.type).empty())
        continue;
      sdk::OntologyObject ontology;
      ontology.name = object.type;
      ontology.shape = sdk::Shape::bounding_box;
      ontology.feature_hash = sdk::derived_hash("object", object.type, "bounding_box");
      sink.add(ontology, whole_file());
      classes.add(ontology.name, ontology.feature_hash);
    }
  }
}

}  // namespace

int KittiImporter::probe(const sdk::Input& input) const {
  std::error_code error;
  if (fs::is_directory(input.path, error)) {
    // A few files decide; empty ones (images without objects) say nothing.
    int seen = 0;
    for (const auto& entry : fs::directory_iterator(input.path, error)) {
      if (entry.path().extension() != ".txt")
        continue;
      const FirstLine first = first_line(entry.path());
      if (first == FirstLine::other)
        return 0;
      if (first == FirstLine::kitti && ++seen == 3)
        break;
    }
    return seen > 0 ? 80 : 0;
  }
  return input.path.extension() == ".txt" && first_line(input.path) == FirstLine::kitti ? 60 : 0;
}

void KittiImporter::read(const sdk::Input& input, sdk::ImportKind kind,
                         const sdk::OptionValues& options, const sdk::ProjectView& project,
                         sdk::RecordSink& sink) const {
  const bool results = kind == sdk::ImportKind::predictions;
  const std::vector<ParsedFile> files =
      parse_files(label_files(input.path), results, options.number("default-score"));
  const sdk::FileTargets targets = file_targets(project, options.text("file-map"));
  ClassNames classes(project, options.text("class-map"));
  std::optional<std::pair<std::uint32_t, std::uint32_t>> size;
  if (const auto given = options.text("image-size"); given && !results)
    size = image_size(*given);
  std::optional<std::map<std::string, std::string>> images;  // stem → file name under --images
  if (const auto folder = options.text("images"); folder && !results)
    images = images_by_stem(*folder);
  if (!results)
    add_classes(files, classes, sink);

  sdk::Prediction prediction;
  sdk::Label label;
  for (const ParsedFile& file : files) {
    for (const auto& [line, problem] : file.problems)
      sink.reject(whole_file(), file.name + ", line " + std::to_string(line) + ": " + problem);
    std::optional<sdk::FileTarget> target = targets.find(file.name);
    if (!target && images) {
      // The image of the same stem under --images; the host reads its size.
      if (const auto image = image_named(*images, fs::path(file.name).stem().string())) {
        sdk::DataUnit unit;
        unit.title = *image;
        unit.data_hash = sdk::derived_data_hash(unit.title);
        sink.add(unit, whole_file());
        target = sdk::FileTarget{unit.data_hash, std::nullopt};
      }
    }
    if (!target && size) {
      // No image to take the size from: the data unit is the file's stem, sized by --image-size.
      sdk::DataUnit unit;
      unit.title = fs::path(file.name).stem().string();
      unit.data_hash = sdk::derived_data_hash(unit.title);
      unit.width = size->first;
      unit.height = size->second;
      sink.add(unit, whole_file());
      target = sdk::FileTarget{unit.data_hash, std::nullopt};
    }
    if (!target) {
      sink.reject(whole_file(), file.name + " matches no data unit");
      continue;
    }
    for (const auto& [line, object] : file.objects) {
      const std::string feature_hash = classes.find(object.type);
      if (feature_hash.empty()) {
        sink.reject(whole_file(), file.name + ", line " + std::to_string(line) +
                                      ": unknown class \"" + object.type + "\"");
        continue;
      }
      const Location where{Location::Kind::line, line};
      if (results) {
        prediction.data_hash = target->data_hash;
        prediction.frame = target->frame;
        prediction.confidence = *object.score;
        prediction.content = detection(object, feature_hash);
        sink.add(prediction, where);
      } else {
        label.data_hash = target->data_hash;
        label.frame = target->frame;
        label.content = detection(object, feature_hash);
        // A DontCare region is no object: a crowd region to COCO, whose matches count neither way.
        label.ignore = label.is_crowd = lowercase(object.type) == kDontCare;
        sink.add(label, where);
      }
    }
  }
}

std::vector<sdk::OptionSpec> KittiImporter::options() const {
  return {{"image-size", sdk::OptionType::text,
           "Ground truth without images: make a data unit of this size (WIDTHxHEIGHT) for each "
           "label file that matches none",
           ""},
          {"file-map", sdk::OptionType::path,
           "A JSON file {file: data_hash} or {file: {\"data_hash\", \"frame\"}} for files whose "
           "names do not match data units",
           ""},
          {"class-map", sdk::OptionType::path,
           "A JSON file {kitti_type: class name or feature_hash} renaming classes", ""},
          {"default-score", sdk::OptionType::number,
           "The score of result lines that have none (15 values); without it they are errors", ""}};
}

std::unique_ptr<sdk::Importer> make_kitti_importer() {
  return std::make_unique<KittiImporter>();
}

}  // namespace ea::kitti
