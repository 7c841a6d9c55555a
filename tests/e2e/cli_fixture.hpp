// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace ea::test {

/// Ontology hashes of the CLI test project.
inline constexpr const char* kPersonBox = "personbb";
inline constexpr const char* kPersonPolygon = "personpg";
inline constexpr const char* kDogMask = "dogmask1";
inline constexpr const char* kWeather = "weather1";
inline constexpr const char* kWeatherAttribute = "weathatt";
inline constexpr const char* kSunny = "optsunny";

/// A project made by `ea init` from tests/data/images (three 256×256 JPEGs) and an ontology with
/// a box class, a polygon class of the same name, a bitmask class and a radio classification.
class CliProject {
 public:
  CliProject();
  /// Runs `ea -t <project> arguments…` in the temporary folder.
  CommandResult ea(const std::vector<std::string>& arguments) const;
  /// The store's contents.
  std::string digest() const { return store_digest(root_ / "ea.db"); }
  /// The project folder.
  const std::filesystem::path& root() const noexcept { return root_; }
  /// A scratch folder beside the project.
  const std::filesystem::path& scratch() const noexcept { return dir_.path(); }
  /// The data hash of img_1.jpg, img_2.jpg, img_3.jpg.
  const std::string& hash(std::size_t index) const { return hashes_.at(index); }
  /// Writes `text` to a file in the scratch folder and returns its path.
  std::filesystem::path file(const std::string& name, const std::string& text) const;

 private:
  TempDir dir_;
  std::filesystem::path root_;
  std::vector<std::string> hashes_;
};

/// Writes a 64×48 MJPG AVI clip of `frames` frames to `file`.
void write_clip(const std::filesystem::path& file, int frames);

/// A project made by `ea init` in `dir`/p from a media folder and an ontology.
struct MediaProject {
  std::filesystem::path root;  ///< the project folder
  std::string first_hash;      ///< the data hash of its first data unit by title
};

/// Runs `ea init` over `media` with `ontology_json`; fails the test if init fails.
MediaProject init_media_project(const std::filesystem::path& dir,
                                const std::filesystem::path& media,
                                const std::string& ontology_json);

/// A native box record.
std::string box_record(const std::string& data_hash, double x, double y, double w, double h,
                       double confidence = 0.9);
/// A native classification record for the "sunny" option.
std::string classification_record(const std::string& data_hash, double confidence = 0.8);

}  // namespace ea::test
