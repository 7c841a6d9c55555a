// SPDX-License-Identifier: Apache-2.0
// `ea cocoeval GT.json RESULTS.json`: pycocotools' evaluation of two files, no project needed.
#include "cli_context.hpp"
#include "ea/core/eval/coco_evaluation.hpp"
#include "ea/core/eval/coco_report.hpp"
#include "ea/core/eval/file_evaluation.hpp"
#include "eval_options.hpp"

namespace ea::cli {

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
    if (arguments->eval.json) {
      context.out() << core::eval::evaluation_json(evaluation, files.dataset).dump(2) << '\n';
    } else {
      context.out() << core::eval::report_text(evaluation, files.dataset,
                                               arguments->eval.per_class);
    }
  });
}

}  // namespace ea::cli
