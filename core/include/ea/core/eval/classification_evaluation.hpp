// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ea/core/eval/evaluation_store.hpp"
#include "ea/core/store.hpp"

namespace ea::core::eval {

/// Precision, recall and F1 of one option of a classification question.
struct OptionOutcome {
  std::string name;                  ///< the option
  std::uint64_t labels = 0;          ///< frames labelled with it (support)
  std::uint64_t predicted = 0;       ///< labelled frames where it was the prediction
  std::uint64_t true_positives = 0;  ///< labelled with it and predicted as it
  double precision = 0;              ///< TP / predicted (0 when never predicted)
  double recall = 0;                 ///< TP / labels (0 when never labelled)
  double f1 = 0;                     ///< harmonic mean of the two (0 when both are 0)
};

/// How one radio classification of the ontology was predicted, frame by frame.
struct QuestionEvaluation {
  std::string question;              ///< the classification's name
  std::string feature_hash;          ///< the classification's feature_hash
  std::vector<std::string> options;  ///< option names: the confusion matrix's rows and columns
  /// counts[label option][predicted option]; the extra last column (and an always empty last
  /// row, to keep it square) is "no prediction": a labelled frame with no prediction at or above
  /// the score threshold.
  std::vector<std::vector<std::uint64_t>> confusion;
  std::uint64_t frames = 0;               ///< labelled frames evaluated
  std::uint64_t correct = 0;              ///< frames whose prediction is the label
  std::uint64_t unlabelled_frames = 0;    ///< frames with predictions but no label (left out)
  double accuracy = 0;                    ///< correct / frames
  std::vector<OptionOutcome> per_option;  ///< in ontology order
  double macro_precision = 0;             ///< mean over options with labels
  double macro_recall = 0;                ///< mean over options with labels
  double macro_f1 = 0;                    ///< mean over options with labels
};

/// A classification prediction set evaluated against the project's classification labels.
struct ClassificationEvaluation {
  double min_score = 0;                       ///< predictions below it were left out
  std::uint64_t predictions = 0;              ///< classification predictions in the set
  std::vector<QuestionEvaluation> questions;  ///< each question with labels or predictions
};

/// Evaluates the classification predictions of `set`: on each labelled (data unit, frame), the
/// prediction of each question is its highest-confidence option at or above `min_score` (ties:
/// file order). Throws Failure when the project has no classification labels.
ClassificationEvaluation evaluate_classifications(Store& store, const SetRange& set,
                                                  double min_score);

/// The evaluation as JSON (accuracy, per option, confusion matrix per question).
nlohmann::json classification_json(const ClassificationEvaluation& evaluation);

/// The evaluation as printed tables.
std::string classification_text(const ClassificationEvaluation& evaluation);

/// Stores the evaluation (replacing an earlier one of the same set and score threshold) and
/// returns its id in `evaluations`.
std::int64_t store_classification_evaluation(Store& store, const SetRange& set,
                                             const ClassificationEvaluation& evaluation,
                                             const nlohmann::json& results);

/// Writes classification_confusion_<question>.png heat maps into `folder`.
void write_classification_plots(const std::filesystem::path& folder,
                                const ClassificationEvaluation& evaluation);

}  // namespace ea::core::eval
