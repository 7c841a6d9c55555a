// SPDX-License-Identifier: Apache-2.0
// Benchmark: the KITTI plugin and protocol on a generated case of 7,500 label files with 50,000
// objects, each step a separate `ea` process on a fresh project: ground truth into a project
// (data units from --image-size), the results folder into a set, `ea evaluate --protocol kitti`.
//   ea_bench_kitti [RUNS=5]
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
  const int runs = argc > 1 ? std::stoi(argv[1]) : 5;
  const fs::path dir = fs::temp_directory_path() / fmt::format("ea-kitti-bench-{}", getpid());
  run({EA_BENCH_GENERATOR, (dir / "case").string(), "7500", "50000", "7"});
  const std::string project = (dir / "project").string();
  const std::string gt = (dir / "case" / "gt").string(), res = (dir / "case" / "res").string();

  const Summary truth = measure(
      "import ground truth", runs, [&](int) { fs::remove_all(project); },
      [&](int) {
        return std::vector<std::string>{EA_BENCH_EA, "-t",    project,        "import",   "project",
                                        "--format",  "kitti", "--image-size", "1242x375", gt};
      });
  const Summary results = measure(
      "import results", runs,
      [&](int i) {
        if (i > 0)  // the set the previous run imported
          run({EA_BENCH_EA, "-t", project, "predictions", "remove", "res"});
      },
      [&](int) {
        return std::vector<std::string>{EA_BENCH_EA,    "-t",       project, "import",
                                        "--no-metrics", "--format", "kitti", res};
      });
  const Summary evaluate = measure(
      "evaluate", runs, [](int) {},
      [&](int) {
        return std::vector<std::string>{EA_BENCH_EA, "-t",         project,
                                        "evaluate",  "--protocol", "kitti"};
      });
  fmt::print("KITTI, 7500 label files / 50000 objects, median of {} runs (peak memory):\n", runs);
  fmt::print("  import ground truth (7500 files):     {:.3f} s ({:.0f} MB)\n", truth.median_seconds,
             truth.peak_mb);
  fmt::print("  import results (7500 files):          {:.3f} s ({:.0f} MB)\n",
             results.median_seconds, results.peak_mb);
  fmt::print("  evaluate --protocol kitti:            {:.3f} s ({:.0f} MB)\n",
             evaluate.median_seconds, evaluate.peak_mb);
  fs::remove_all(dir);
  return 0;
}
