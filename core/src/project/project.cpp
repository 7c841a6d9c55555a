// SPDX-License-Identifier: Apache-2.0
#include "ea/core/project.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "ea/core/failure.hpp"

namespace ea::core {

namespace fs = std::filesystem;

ProjectConfig read_config(const fs::path& file) {
  std::ifstream in(file);
  if (!in)
    throw Failure("cannot read the project configuration " + file.string() + ".");
  nlohmann::json json;
  try {
    in >> json;
  } catch (const nlohmann::json::parse_error& error) {
    throw Failure("the project configuration " + file.string() + " is not valid JSON (byte " +
                  std::to_string(error.byte) + ").");
  }
  if (!json.is_object()) {
    throw Failure("the project configuration " + file.string() + " is not a JSON object.");
  }
  ProjectConfig config;
  try {
    config.name = json.value("name", "");
    config.images = json.value("images", "");
    if (json.contains("metrics") && !json["metrics"].is_null()) {
      config.metrics = json["metrics"].get<std::vector<std::string>>();
    }
  } catch (const nlohmann::json::exception&) {
    throw Failure("the project configuration " + file.string() +
                  " has a field of the wrong type (name and images are strings, metrics is a "
                  "list of strings).");
  }
  return config;
}

void write_config(const fs::path& file, const ProjectConfig& config) {
  nlohmann::json json = {{"name", config.name}, {"images", config.images.string()}};
  if (config.metrics)
    json["metrics"] = *config.metrics;
  const fs::path temporary = fs::path(file).concat(".tmp");
  {
    std::ofstream out(temporary);
    out << json.dump(2) << '\n';
    if (!out)
      throw Failure("cannot write " + temporary.string() + ".");
  }
  fs::rename(temporary, file);
}

Project Project::open(const std::optional<fs::path>& target) {
  fs::path root;
  if (target) {
    root = fs::absolute(*target);
    if (!fs::is_regular_file(root / kConfigFile)) {
      throw Failure(root.string() + " is not an ea project (it has no " + kConfigFile +
                    "); create one with `ea init`.");
    }
  } else {
    for (fs::path dir = fs::current_path();; dir = dir.parent_path()) {
      if (fs::is_regular_file(dir / kConfigFile)) {
        root = dir;
        break;
      }
      if (dir == dir.root_path()) {
        throw Failure("no ea project here: neither " + fs::current_path().string() +
                      " nor a folder above it has an " + kConfigFile +
                      "; pass --target or create one with `ea init`.");
      }
    }
  }
  ProjectConfig config = read_config(root / kConfigFile);
  Store store = Store::open(root / kStoreFile);
  return Project(root, std::move(config), std::move(store));
}

}  // namespace ea::core
