// SPDX-License-Identifier: Apache-2.0
#include "masks_fixture.hpp"

#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

namespace ea::test {

PanopticProject::PanopticProject(bool with_labels) {
  nlohmann::json instances =
      nlohmann::json::parse(read_file(data_dir() / "masks" / "instances_as_coco_ids_from1.json"));
  if (!with_labels)
    instances["annotations"] = nlohmann::json::array();
  write_file(dir / "instances.json", instances.dump());
  const CommandResult made = ea({"-t", root.string(), "import", "project", "--format", "coco",
                                 (dir / "instances.json").string()});
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
}

CommandResult PanopticProject::run(std::vector<std::string> arguments) const {
  arguments.insert(arguments.begin(), {"-t", root.string()});
  return ea(arguments);
}

long PanopticProject::count(const std::string& sql) const {
  SQLite::Database store(this->store().string(), SQLite::OPEN_READONLY);
  return store.execAndGet(sql).getInt();
}

}  // namespace ea::test
