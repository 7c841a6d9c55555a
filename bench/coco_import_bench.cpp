// SPDX-License-Identifier: Apache-2.0
// Benchmark: a COCO case of realistic shape (ea_gen_coco_case: 5,000 images, 80 classes, ~38,000
// ground-truth objects, 500,000 detections, ~44 MB), imported by a separate `ea` process: the
// ground truth once, then the results file into a fresh copy of that project per run. Reports
// wall time, detections per second and peak resident memory (from wait4).
//   ea_bench_coco_import [RUNS=5]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_process.hpp"

namespace fs = std::filesystem;

using ea::bench::Run;
using ea::bench::run;

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::stoi(argv[1]) : 5;
  const fs::path dir = fs::temp_directory_path() / fmt::format("ea-coco-bench-{}", getpid());
  run({EA_BENCH_GENERATOR, (dir / "case").string(), "5000", "500000", "7"});
  const fs::path master = dir / "master";
  const Run gt = run({EA_BENCH_EA, "-t", master.string(), "import", "project", "--format", "coco",
                      (dir / "case" / "gt.json").string()});
  fmt::print("ground truth (5000 images, 80 classes, {:.1f} MB): {:.3f} s, peak {:.1f} MB\n",
             static_cast<double>(fs::file_size(dir / "case" / "gt.json")) / 1e6, gt.seconds,
             static_cast<double>(gt.peak_kib) / 1024);

  std::vector<Run> results;
  for (int i = 0; i < runs; ++i) {
    const fs::path project = dir / fmt::format("run{}", i);
    fs::create_directories(project);
    fs::copy(master, project, fs::copy_options::recursive);
    sync();  // start each run without earlier writes still being flushed
    sleep(1);
    const Run result =
        run({EA_BENCH_EA, "-t", project.string(), "import", "predictions", "--no-metrics",
             "--format", "coco", (dir / "case" / "results.json").string()});
    results.push_back(result);
    fmt::print("run {}: {:.3f} s, {:.0f} detections/s, peak {:.1f} MB\n", i + 1, result.seconds,
               500'000 / result.seconds, static_cast<double>(result.peak_kib) / 1024);
    fs::remove_all(project);
  }
  std::sort(results.begin(), results.end(),
            [](const Run& a, const Run& b) { return a.seconds < b.seconds; });
  long peak = 0;
  for (const Run& result : results)
    peak = std::max(peak, result.peak_kib);
  const Run& median = results[results.size() / 2];
  fmt::print(
      "COCO results import of 500000 detections ({:.1f} MB): median {:.3f} s = {:.0f} "
      "detections/s; peak memory {:.1f} MB\n",
      static_cast<double>(fs::file_size(dir / "case" / "results.json")) / 1e6, median.seconds,
      500'000 / median.seconds, static_cast<double>(peak) / 1024);
  fs::remove_all(dir);
  return 0;
}
