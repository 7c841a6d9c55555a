// SPDX-License-Identifier: Apache-2.0
// The SDK as a third party uses it: `cmake --install` into a temporary prefix, both examples
// configured and built as separate CMake projects against that prefix, and the installed `ea`
// using them through EA_PLUGIN_PATH.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "ea/sdk/abi.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace ea::test {
namespace {

// Configures and builds `examples/<name>` against `prefix` in `build`.
void build_example(const std::string& name, const fs::path& prefix, const fs::path& build) {
  const CommandResult configured =
      run(EA_TEST_CMAKE,
          {"-S", (fs::path(EA_TEST_SOURCE_DIR) / "examples" / name).string(), "-B", build.string(),
           "-G", EA_TEST_GENERATOR, "-DCMAKE_MAKE_PROGRAM=" EA_TEST_MAKE_PROGRAM,
           "-DCMAKE_PREFIX_PATH=" + prefix.string(), "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Werror"});
  REQUIRE_MESSAGE(configured.exit_code == 0, configured.out, configured.err);
  const CommandResult built = run(EA_TEST_CMAKE, {"--build", build.string()});
  REQUIRE_MESSAGE(built.exit_code == 0, built.out, built.err);
}

std::vector<double> stats_of(const std::string& json) {
  return nlohmann::json::parse(json)["stats"].get<std::vector<double>>();
}

}  // namespace

TEST_CASE("an installed SDK builds both examples out of tree, and the installed ea uses them") {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  const CommandResult installed =
      run(EA_TEST_CMAKE, {"--install", EA_TEST_BUILD_DIR, "--prefix", prefix.string()});
  REQUIRE_MESSAGE(installed.exit_code == 0, installed.err);
  CHECK(fs::exists(prefix / "lib" / "cmake" / "ea" / "eaConfig.cmake"));
  CHECK(fs::exists(prefix / "lib" / "cmake" / "ea" / "eaConfigVersion.cmake"));
  CHECK(fs::exists(prefix / "include" / "ea" / "sdk" / "plugin.hpp"));
  build_example("yolo-plugin", prefix, dir / "yolo");
  build_example("metric-plugin", prefix, dir / "metric");

  // The installed ea, moved: it finds its own plugins beside itself.
  fs::rename(prefix, dir / "moved");
  const fs::path moved = dir / "moved";
  const fs::path ea_binary = moved / "bin" / "ea";
  const fs::path plugins =
      moved / "lib" / "ea" / "plugins" / ("abi-" + std::to_string(ea::sdk::kAbiVersion));
  const std::string plugin_path = plugins.string() + ":" + (dir / "yolo" / "plugins").string() +
                                  ":" + (dir / "metric" / "plugins").string();
  const std::map<std::string, std::string> environment{{"EA_PLUGIN_PATH", plugin_path}};
  const auto ea_run = [&](std::vector<std::string> arguments) {
    return run(ea_binary, arguments, dir.path(), environment);
  };

  const CommandResult listed = ea_run({"plugins", "list"});
  REQUIRE_MESSAGE(listed.exit_code == 0, listed.err);
  CHECK(listed.out.find("yolo 1.0.0 (importer) — " +
                        (dir / "yolo" / "plugins" / "ea_plugin_yolo.so").string()) !=
        std::string::npos);
  CHECK(listed.out.find("dark_decile 1.0.0 (metric) — " +
                        (dir / "metric" / "plugins" / "ea_plugin_dark_decile.so").string()) !=
        std::string::npos);
  CHECK(listed.out.find((plugins / "ea_plugin_coco.so").string()) != std::string::npos);

  // YOLO detections (score first, classes from voc.names) evaluate exactly as the same detections
  // in COCO form.
  const fs::path data = data_dir() / "coco";
  const std::string toy = (dir / "toy").string();
  REQUIRE(ea_run({"-t", toy, "import", "project", "--format", "coco",
                  (data / "toyexample_gt.json").string()})
              .exit_code == 0);
  REQUIRE(ea_run({"-t", toy, "import", "--no-metrics", "--format", "coco", "--name", "coco",
                  (data / "toyexample_dets.json").string()})
              .exit_code == 0);
  const CommandResult yolo = ea_run(
      {"-t", toy, "import", "--no-metrics", "--format", "yolo", "--name", "yolo", "--score-first",
       "--round", "--names", (data / "toyexample_yolo" / "voc.names").string(),
       (data / "toyexample_yolo" / "dets_classid_rel_xcycwh").string()});
  REQUIRE_MESSAGE(yolo.exit_code == 0, yolo.err);
  CHECK(yolo.out.find("12 prediction(s)") != std::string::npos);
  const auto coco_stats = stats_of(ea_run({"-t", toy, "evaluate", "--set", "coco", "--json"}).out);
  const auto yolo_stats = stats_of(ea_run({"-t", toy, "evaluate", "--set", "yolo", "--json"}).out);
  REQUIRE(coco_stats.size() == 12);
  for (std::size_t i = 0; i < 12; ++i) {
    CAPTURE(i);
    CHECK(yolo_stats[i] == doctest::Approx(coco_stats[i]).epsilon(1e-12));
  }

  // A bad line is refused with its file and line, and the store is left as it was.
  const std::string before = store_digest(fs::path(toy) / "ea.db");
  fs::create_directories(dir / "bad");
  write_file(dir / "bad" / "2007_000549.txt", "7 0.9 0.5 0.5 0.2 0.2\n7 0.9 0.5 0.5 abc 0.2\n");
  const CommandResult bad =
      ea_run({"-t", toy, "import", "--no-metrics", "--format", "yolo", "--score-first", "--names",
              (data / "toyexample_yolo" / "voc.names").string(), (dir / "bad").string()});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("2007_000549.txt, line 2: w \"abc\" is not a number") != std::string::npos);
  CHECK(line_count(bad.err) == 1);
  CHECK(store_digest(fs::path(toy) / "ea.db") == before);

  // The metric, selected in ea.json, runs and its values are stored (the labels of real images).
  const fs::path images = data_dir() / "images";
  const std::string project = (dir / "fce").string();
  REQUIRE(ea_run({"-t", project, "init", "--images", images.string()}).exit_code == 0);
  REQUIRE(ea_run({"-t", project, "import", "project", "--format", "coco",
                  (data / "fce_gt_dataset.json").string()})
              .exit_code == 0);
  nlohmann::json config = nlohmann::json::parse(read_file(fs::path(project) / "ea.json"));
  config["metrics"] = {"dark-decile"};
  write_file(fs::path(project) / "ea.json", config.dump());
  const CommandResult metrics = ea_run({"-t", project, "metrics", "run"});
  REQUIRE_MESSAGE(metrics.exit_code == 0, metrics.err);
  CHECK(metrics.out.find("Ran 1 metric(s)") != std::string::npos);
  SQLite::Database store((fs::path(project) / "ea.db").string(), SQLite::OPEN_READONLY);
  CHECK(store
            .execAndGet("SELECT count(*) FROM label_metrics WHERE metric = 'dark-decile' AND "
                        "value BETWEEN 0 AND 1")
            .getInt() == 9);
}

}  // namespace ea::test
