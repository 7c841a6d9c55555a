// SPDX-License-Identifier: Apache-2.0
#include "eval_options.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include "ea/core/failure.hpp"

namespace ea::cli {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos)
      return parts;
    start = end + 1;
  }
}

double number(const std::string& text, const char* option) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    throw core::Failure(std::string(option) + ": \"" + text + "\" is not a number.");
  return value;
}

std::vector<double> iou_thresholds(const std::string& text) {
  const auto range = split(text, ':');
  if (range.size() == 3) {
    const double start = number(range[0], "--iou-thrs"), stop = number(range[1], "--iou-thrs"),
                 step = number(range[2], "--iou-thrs");
    if (step <= 0 || stop < start)
      throw core::Failure("--iou-thrs: give START:STOP:STEP with STOP ≥ START and STEP > 0.");
    const auto count = static_cast<std::size_t>(std::llround((stop - start) / step)) + 1;
    return core::eval::linspace(start, stop, count);
  }
  std::vector<double> values;
  for (const std::string& part : split(text, ','))
    values.push_back(number(part, "--iou-thrs"));
  for (const double value : values) {
    if (value < 0 || value > 1)
      throw core::Failure("--iou-thrs: IoU thresholds lie in [0, 1].");
  }
  return values;
}

}  // namespace

void add_eval_options(CLI::App& command, EvalOptions& options) {
  command.add_option("--iou-type", options.iou_type, "Compare boxes (bbox) or masks (segm)")
      ->check(CLI::IsMember({"bbox", "segm"}));
  command.add_option("--iou-thrs", options.iou_thresholds,
                     "IoU thresholds as START:STOP:STEP or a comma list (default 0.5:0.95:0.05)");
  command.add_option("--max-dets", options.max_dets,
                     "Detections kept per image and class, a comma list (default 1,10,100)");
  command.add_option("--area-ranges", options.area_ranges,
                     "Area ranges as NAME=LOW:HIGH,… in square pixels; the first is the overall "
                     "one (default all=0:1e10,small=0:1024,medium=1024:9216,large=9216:1e10)");
  command.add_flag("--no-cats", options.no_categories,
                   "Match regardless of class (pycocotools useCats=0)");
  command.add_flag("--no-quirks", options.no_quirks,
                   "Correct pycocotools' quirks: labels with id 0 match, `ignore` is honoured, "
                   "AP uses the largest maxDets");
  command.add_option("--min-score", options.min_score, "Drop detections scoring below S first")
      ->check(CLI::NonNegativeNumber);
  command.add_flag("--per-class", options.per_class, "Also print a table per class");
  command.add_flag("--json", options.json, "Print JSON (DESIGN §6) instead of tables");
}

core::eval::CocoParams EvalOptions::params() const {
  using core::eval::IouType;
  core::eval::CocoParams params =
      core::eval::default_coco_params(iou_type == "segm" ? IouType::segm : IouType::bbox);
  if (!iou_thresholds.empty())
    params.iou_thresholds = cli::iou_thresholds(iou_thresholds);
  if (!max_dets.empty()) {
    params.max_dets.clear();
    for (const std::string& part : split(max_dets, ',')) {
      const double value = number(part, "--max-dets");
      if (value < 1 || value != std::floor(value) || value > 1e9)
        throw core::Failure("--max-dets: \"" + part + "\" is not a positive whole number.");
      params.max_dets.push_back(static_cast<std::uint32_t>(value));
    }
  }
  if (!area_ranges.empty()) {
    params.area_ranges.clear();
    for (const std::string& part : split(area_ranges, ',')) {
      const auto named = split(part, '=');
      const auto bounds = named.size() == 2 ? split(named[1], ':') : std::vector<std::string>{};
      if (bounds.size() != 2 || named[0].empty())
        throw core::Failure("--area-ranges: \"" + part + "\" is not NAME=LOW:HIGH.");
      params.area_ranges.push_back(
          {named[0], number(bounds[0], "--area-ranges"), number(bounds[1], "--area-ranges")});
    }
  }
  params.use_categories = !no_categories;
  params.quirks = !no_quirks;
  params.min_score = min_score;
  return params;
}

}  // namespace ea::cli
