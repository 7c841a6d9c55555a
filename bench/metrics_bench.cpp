// SPDX-License-Identifier: Apache-2.0
// Benchmark: every built-in metric over 5,000 images of 1280×720 with 500,000 box predictions and
// ~35,000 labels (each image decoded once, frames on both cores, all values stored), each run a
// separate `ea metrics run` on a project made once.
//   ea_bench_metrics [RUNS=3] [IMAGES=5000] [DETECTIONS=500000]
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_process.hpp"

namespace fs = std::filesystem;

using ea::bench::measure;
using ea::bench::run;
using ea::bench::Summary;

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::stoi(argv[1]) : 3;
  const std::string images = argc > 2 ? argv[2] : "5000";
  const std::string detections = argc > 3 ? argv[3] : "500000";
  const fs::path dir = fs::temp_directory_path() / fmt::format("ea-metrics-bench-{}", getpid());
  run({EA_BENCH_GENERATOR, (dir / "case").string(), images, detections, "7"});
  const std::string project = (dir / "project").string();
  run({EA_BENCH_EA, "-t", project, "init", "--images", (dir / "case" / "images").string()});
  run({EA_BENCH_EA, "-t", project, "import", "project", "--format", "coco",
       (dir / "case" / "gt.json").string()});
  run({EA_BENCH_EA, "-t", project, "import", "--no-metrics", "--format", "coco",
       (dir / "case" / "results.json").string()});

  const Summary metrics = measure(
      "metrics run", runs, [](int) {},
      [&](int) {
        return std::vector<std::string>{EA_BENCH_EA, "-t", project, "metrics", "run"};
      });
  fmt::print(
      "metrics, {} images of 1280x720 / {} box predictions, all built-ins, median of {} "
      "runs:\n",
      images, detections, runs);
  fmt::print("  ea metrics run:  {:.3f} s ({:.0f} MB)\n", metrics.median_seconds, metrics.peak_mb);
  fs::remove_all(dir);
  return 0;
}
