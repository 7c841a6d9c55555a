// SPDX-License-Identifier: Apache-2.0
// Benchmark: COCO evaluation on the generator's cases, each step a separate `ea` process.
//   - `ea cocoeval GT RESULTS` (bbox), end to end from the two files: 5,000 images, 500,000
//     detections;
//   - `ea evaluate` on that set stored in a project (first evaluation of a fresh copy of the
//     project per run, and a re-run that replaces the stored evaluation);
//   - the segm case: 500 images, 50,000 compressed-RLE detections, by `ea cocoeval` and by
//     `ea evaluate --iou-type segm`.
// Reports the median wall time and the peak resident memory of each.
//   ea_bench_coco_eval [RUNS=5]
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_process.hpp"

namespace fs = std::filesystem;

using ea::bench::measure;
using ea::bench::run;
using ea::bench::Summary;

namespace {

// A project holding the case's ground truth and results (set "results").
fs::path make_project(const fs::path& dir, const fs::path& case_dir) {
  const fs::path project = dir / "master";
  run({EA_BENCH_EA, "-t", project.string(), "import", "project", "--format", "coco",
       (case_dir / "gt.json").string()});
  run({EA_BENCH_EA, "-t", project.string(), "import", "--no-metrics", "--format", "coco", "--name",
       "results", (case_dir / "results.json").string()});
  return project;
}

void fresh_copy(const fs::path& master, const fs::path& copy) {
  fs::remove_all(copy);
  fs::create_directories(copy);
  fs::copy(master, copy, fs::copy_options::recursive);
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::stoi(argv[1]) : 5;
  const fs::path dir = fs::temp_directory_path() / fmt::format("ea-eval-bench-{}", getpid());
  const fs::path bbox_case = dir / "bbox", segm_case = dir / "segm";
  run({EA_BENCH_GENERATOR, bbox_case.string(), "5000", "500000", "7"});
  run({EA_BENCH_GENERATOR, segm_case.string(), "500", "50000", "7", "segm"});
  const auto nothing = [](int) {};

  const Summary cocoeval = measure("cocoeval bbox", runs, nothing, [&](int) {
    return std::vector<std::string>{EA_BENCH_EA, "cocoeval", (bbox_case / "gt.json").string(),
                                    (bbox_case / "results.json").string()};
  });
  const fs::path bbox_master = make_project(dir / "bbox-project", bbox_case);
  const fs::path bbox_copy = dir / "bbox-run";
  const Summary evaluate = measure(
      "evaluate bbox", runs, [&](int) { fresh_copy(bbox_master, bbox_copy); },
      [&](int) {
        return std::vector<std::string>{EA_BENCH_EA, "-t", bbox_copy.string(), "evaluate"};
      });
  const Summary again = measure("evaluate bbox again", runs, nothing, [&](int) {
    return std::vector<std::string>{EA_BENCH_EA, "-t", bbox_copy.string(), "evaluate"};
  });

  const Summary segm_files = measure("cocoeval segm", runs, nothing, [&](int) {
    return std::vector<std::string>{EA_BENCH_EA,
                                    "cocoeval",
                                    (segm_case / "gt.json").string(),
                                    (segm_case / "results.json").string(),
                                    "--iou-type",
                                    "segm"};
  });
  const fs::path segm_master = make_project(dir / "segm-project", segm_case);
  const fs::path segm_copy = dir / "segm-run";
  const Summary segm_stored = measure(
      "evaluate segm", runs, [&](int) { fresh_copy(segm_master, segm_copy); },
      [&](int) {
        return std::vector<std::string>{EA_BENCH_EA, "-t",         segm_copy.string(),
                                        "evaluate",  "--iou-type", "segm"};
      });

  fmt::print("COCO evaluation, median of {} runs (peak memory):\n", runs);
  fmt::print("  ea cocoeval, bbox, 5000 images / 500000 detections:  {:.3f} s ({:.0f} MB)\n",
             cocoeval.median_seconds, cocoeval.peak_mb);
  fmt::print("  ea evaluate, bbox, stored set, first evaluation:      {:.3f} s ({:.0f} MB)\n",
             evaluate.median_seconds, evaluate.peak_mb);
  fmt::print("  ea evaluate, bbox, stored set, replacing the last:    {:.3f} s ({:.0f} MB)\n",
             again.median_seconds, again.peak_mb);
  fmt::print("  ea cocoeval, segm, 500 images / 50000 RLE detections: {:.3f} s ({:.0f} MB)\n",
             segm_files.median_seconds, segm_files.peak_mb);
  fmt::print("  ea evaluate, segm, stored set, first evaluation:      {:.3f} s ({:.0f} MB)\n",
             segm_stored.median_seconds, segm_stored.peak_mb);
  fs::remove_all(dir);
  return 0;
}
