// SPDX-License-Identifier: Apache-2.0
// `ea cocoeval GT.json RESULTS.json`: pycocotools' evaluation of two files, no project needed.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli_context.hpp"
#include "ea/core/eval/coco_evaluation.hpp"
#include "ea/core/eval/coco_report.hpp"
#include "ea/core/eval/file_evaluation.hpp"
#include "eval_options.hpp"

namespace ea::cli {

void print_coco_evaluation(std::ostream& out, const core::eval::CocoEvaluation& evaluation,
                           const core::eval::EvalDataset& dataset, const EvalOptions& options) {
  if (options.json) {
    out << core::eval::evaluation_json(evaluation, dataset).dump(2) << '\n';
    return;
  }
  out << core::eval::summary_text(evaluation);
  for (const std::string& note : evaluation.quirk_notes)
    fmt::print(out, "Note: {}\n", note);
  if (options.per_class)
    out << '\n' << core::eval::per_class_table(evaluation, dataset);
}

void add_cocoeval_command(CLI::App& app, CliContext& context) {
  struct Arguments {
    std::filesystem::path truth;
    std::filesystem::path results;
    EvalOptions eval;
  };
  auto arguments = std::make_shared<Arguments>();
  CLI::App* command = app.add_subcommand(
      "cocoeval",
      "Evaluate a COCO results file against COCO ground truth, as pycocotools' COCOeval does "
      "(no project needed)");
  command->add_option("GT", arguments->truth, "COCO ground truth (instances JSON)")->required();
  command
      ->add_option("RESULTS", arguments->results,
                   "COCO results (a list, or a dataset dict "
                   "whose annotations carry scores)")
      ->required();
  add_eval_options(*command, arguments->eval);
  command->callback([&context, arguments] {
    const core::eval::CocoParams params = arguments->eval.params();
    const core::eval::FileDataset files = core::eval::load_coco_files(
        context.plugins(), arguments->truth, arguments->results, params.iou_type);
    const core::eval::CocoEvaluation evaluation = core::eval::evaluate_coco(files.dataset, params);
    print_coco_evaluation(context.out(), evaluation, files.dataset, arguments->eval);
  });
}

}  // namespace ea::cli
