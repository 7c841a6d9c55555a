// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "cli_context.hpp"
#include "ea/core/failure.hpp"
#include "ea/core/project_snapshot.hpp"
#include "ea/core/text.hpp"

namespace ea::cli {

namespace {

using nlohmann::ordered_json;

// Encord Active writes these files into the current folder, not the project; ea does the same.
void emit(CliContext& context, const ordered_json& json, bool write_file, const char* file_name) {
  context.out() << json.dump(2) << '\n';
  if (!write_file)
    return;
  std::ofstream out(file_name);
  out << json.dump(2) << '\n';
  if (!out)
    throw core::Failure(std::string("cannot write ") + file_name + " in the current folder.");
}

ordered_json data_mapping(const core::ProjectSnapshot& snapshot, std::optional<std::size_t> limit) {
  ordered_json mapping = ordered_json::object();
  for (const sdk::DataUnit& unit : snapshot.data_units()) {
    if (limit && mapping.size() >= *limit)
      break;
    mapping[unit.data_hash] = unit.title;
  }
  return mapping;
}

// Keys are lower-case names as in Encord Active; where names collide (one class with a box and a
// polygon object) the shape is added, so no object hides another.
ordered_json ontology(const core::ProjectSnapshot& snapshot) {
  std::map<std::string, int> name_uses;
  for (const auto& object : snapshot.objects())
    ++name_uses[core::ascii_lowercase(object.name)];
  ordered_json objects = ordered_json::object();
  for (const auto& object : snapshot.objects()) {
    std::string key = core::ascii_lowercase(object.name);
    if (name_uses[key] > 1)
      key += " (" + std::string(sdk::to_string(object.shape)) + ")";
    objects[key] = object.feature_hash;
  }
  std::map<std::string, int> option_uses;
  for (const auto& classification : snapshot.classifications()) {
    for (const auto& option : classification.options)
      ++option_uses[option.name];
  }
  ordered_json classifications = ordered_json::object();
  for (const auto& classification : snapshot.classifications()) {
    for (const auto& option : classification.options) {
      std::string key = option.name;
      if (option_uses[key] > 1)
        key += " (" + classification.name + ")";
      classifications[key] = {{"feature_hash", classification.feature_hash},
                              {"attribute_hash", classification.attribute_hash},
                              {"option_hash", option.option_hash}};
    }
  }
  return {{"objects", objects}, {"classifications", classifications}};
}

// {group: [{"data_hash", "title"}, …]} in group and position order.
ordered_json image_groups(core::Store& store) {
  ordered_json groups = ordered_json::object();
  SQLite::Statement query(store.db(),
                          "SELECT g.name, d.data_hash, d.title FROM image_groups g JOIN data_units "
                          "d ON d.group_id = g.id ORDER BY g.name, d.group_position");
  while (query.executeStep()) {
    groups[query.getColumn(0).getString()].push_back(
        {{"data_hash", query.getColumn(1).getString()}, {"title", query.getColumn(2).getString()}});
  }
  return groups;
}

}  // namespace

void add_print_command(CLI::App& app, CliContext& context) {
  CLI::App* print = app.add_subcommand("print", "Print project information");
  print->require_subcommand(1);

  auto mapping_json = std::make_shared<bool>(false);
  auto limit = std::make_shared<std::optional<std::size_t>>();
  CLI::App* mapping =
      print->add_subcommand("data-mapping", "Print {data_hash: title} of every data unit");
  mapping->add_flag("--json", *mapping_json, "Also write data_mapping.json in the current folder");
  mapping->add_option("--limit", *limit, "Print at most N entries")->check(CLI::PositiveNumber);
  mapping->callback([&context, mapping_json, limit] {
    core::Project project = context.open_project();
    const auto snapshot = core::ProjectSnapshot::load(project.store());
    emit(context, data_mapping(snapshot, *limit), *mapping_json, "data_mapping.json");
  });

  auto ontology_json = std::make_shared<bool>(false);
  CLI::App* ontology_command = print->add_subcommand(
      "ontology",
      "Print {\"objects\": {name: feature_hash}, \"classifications\": {option: hashes}}");
  ontology_command->add_flag("--json", *ontology_json,
                             "Also write ontology_output.json in the current folder");
  CLI::App* groups_command = print->add_subcommand(
      "groups", "Print {group: [{data_hash, title}, …]}: the images of each image group in order");
  groups_command->callback([&context] {
    core::Project project = context.open_project();
    emit(context, image_groups(project.store()), false, "");
  });

  ontology_command->callback([&context, ontology_json] {
    core::Project project = context.open_project();
    const auto snapshot = core::ProjectSnapshot::load(project.store());
    emit(context, ontology(snapshot), *ontology_json, "ontology_output.json");
  });
}

}  // namespace ea::cli
