// SPDX-License-Identifier: Apache-2.0
// Benchmark: the masks plugin importing 1,000 class masks of 1280×720 with ~20 instances each
// (connected components, RLE encoding, the store), each run a separate `ea` process into a
// project made once from the case's COCO file.
//   ea_bench_masks_import [RUNS=5] [IMAGES=1000]
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
  const std::string images = argc > 2 ? argv[2] : "1000";
  const fs::path dir = fs::temp_directory_path() / fmt::format("ea-masks-bench-{}", getpid());
  run({EA_BENCH_GENERATOR, (dir / "case").string(), images, "20", "7"});
  const std::string project = (dir / "project").string();
  run({EA_BENCH_EA, "-t", project, "import", "project", "--format", "coco",
       (dir / "case" / "gt.json").string()});

  const Summary masks = measure(
      "import class masks", runs,
      [&](int i) {
        if (i > 0)  // the set the previous run imported
          run({EA_BENCH_EA, "-t", project, "predictions", "remove", "masks"});
      },
      [&](int) {
        return std::vector<std::string>{EA_BENCH_EA,
                                        "-t",
                                        project,
                                        "import",
                                        "--no-metrics",
                                        "--format",
                                        "masks",
                                        "--class-map",
                                        (dir / "case" / "classes.json").string(),
                                        (dir / "case" / "masks").string()};
      });
  fmt::print("masks, {} class masks of 1280x720 (~20 instances each), median of {} runs:\n", images,
             runs);
  fmt::print("  import --format masks:  {:.3f} s ({:.0f} MB)\n", masks.median_seconds,
             masks.peak_mb);
  fs::remove_all(dir);
  return 0;
}
