// SPDX-License-Identifier: Apache-2.0
// Frame classification evaluation: one label and at most one prediction per (data unit, frame,
// question), compared as a multi-class problem. Encord Active matches classification labels and
// predictions by a hashed image id that can collide (encord-active.md §1.4); here the key is the
// exact (data unit, frame).
#include "ea/core/eval/classification_evaluation.hpp"

#include <map>
#include <tuple>
#include <unordered_map>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "ea/core/failure.hpp"

namespace ea::core::eval {

namespace {

struct Option {
  std::size_t question = 0;  // index into the evaluation's questions
  std::size_t index = 0;     // position among its question's options
};

// (data unit, frame, question)
using FrameKey = std::tuple<std::int64_t, std::int64_t, std::size_t>;

struct Predicted {
  std::size_t option = 0;
  double confidence = 0;
};

double ratio(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

void summarise(QuestionEvaluation& q) {
  const std::size_t n = q.options.size();
  std::size_t with_labels = 0;
  for (std::size_t o = 0; o < n; ++o) {
    OptionOutcome outcome{q.options[o]};
    for (std::size_t c = 0; c <= n; ++c)
      outcome.labels += q.confusion[o][c];
    for (std::size_t r = 0; r < n; ++r)
      outcome.predicted += q.confusion[r][o];
    outcome.true_positives = q.confusion[o][o];
    q.correct += outcome.true_positives;
    q.frames += outcome.labels;
    outcome.precision = ratio(outcome.true_positives, outcome.predicted);
    outcome.recall = ratio(outcome.true_positives, outcome.labels);
    const double sum = outcome.precision + outcome.recall;
    outcome.f1 = sum == 0 ? 0 : 2 * outcome.precision * outcome.recall / sum;
    if (outcome.labels > 0) {
      ++with_labels;
      q.macro_precision += outcome.precision;
      q.macro_recall += outcome.recall;
      q.macro_f1 += outcome.f1;
    }
    q.per_option.push_back(std::move(outcome));
  }
  if (with_labels > 0) {
    q.macro_precision /= static_cast<double>(with_labels);
    q.macro_recall /= static_cast<double>(with_labels);
    q.macro_f1 /= static_cast<double>(with_labels);
  }
  q.accuracy = ratio(q.correct, q.frames);
}

}  // namespace

ClassificationEvaluation evaluate_classifications(Store& store, const SetRange& set,
                                                  double min_score) {
  SQLite::Database& db = store.db();
  ClassificationEvaluation evaluation;
  evaluation.min_score = min_score;
  std::unordered_map<std::int64_t, std::size_t> question_of_row;
  {
    SQLite::Statement query(db,
                            "SELECT id, name, feature_hash FROM ontology_classifications ORDER BY "
                            "id");
    while (query.executeStep()) {
      question_of_row.emplace(query.getColumn(0).getInt64(), evaluation.questions.size());
      QuestionEvaluation question;
      question.question = query.getColumn(1).getString();
      question.feature_hash = query.getColumn(2).getString();
      evaluation.questions.push_back(std::move(question));
    }
  }
  std::unordered_map<std::int64_t, Option> options;
  {
    SQLite::Statement query(db,
                            "SELECT id, classification_id, name FROM classification_options "
                            "ORDER BY id");
    while (query.executeStep()) {
      const std::size_t q = question_of_row.at(query.getColumn(1).getInt64());
      options.emplace(query.getColumn(0).getInt64(),
                      Option{q, evaluation.questions[q].options.size()});
      evaluation.questions[q].options.push_back(query.getColumn(2).getString());
    }
  }

  std::map<FrameKey, std::size_t> labelled;  // the first label of each frame and question
  {
    SQLite::Statement query(db,
                            "SELECT data_unit_id, frame, option_id FROM labels WHERE option_id "
                            "IS NOT NULL ORDER BY id");
    while (query.executeStep()) {
      const Option& option = options.at(query.getColumn(2).getInt64());
      labelled.emplace(
          FrameKey{query.getColumn(0).getInt64(), query.getColumn(1).getInt64(), option.question},
          option.index);
    }
  }
  if (labelled.empty()) {
    throw Failure("the project has no classification labels to evaluate the set '" + set.name +
                  "' against; import them with `ea import project --format native LABELS`.");
  }

  std::map<FrameKey, Predicted> predicted;  // the best prediction of each frame and question
  {
    SQLite::Statement query(db,
                            "SELECT data_unit_id, frame, option_id, confidence FROM predictions "
                            "WHERE id BETWEEN ? AND ? AND option_id IS NOT NULL ORDER BY id");
    query.bind(1, set.first);
    query.bind(2, set.last);
    while (query.executeStep()) {
      ++evaluation.predictions;
      const double confidence = query.getColumn(3).getDouble();
      if (confidence < min_score)
        continue;
      const Option& option = options.at(query.getColumn(2).getInt64());
      const FrameKey key{query.getColumn(0).getInt64(), query.getColumn(1).getInt64(),
                         option.question};
      const auto [at, inserted] = predicted.emplace(key, Predicted{option.index, confidence});
      if (!inserted && confidence > at->second.confidence)  // strictly: ties keep file order
        at->second = Predicted{option.index, confidence};
    }
  }

  for (auto& question : evaluation.questions) {
    const std::size_t n = question.options.size();
    question.confusion.assign(n + 1, std::vector<std::uint64_t>(n + 1, 0));
  }
  for (const auto& [key, label] : labelled) {
    QuestionEvaluation& question = evaluation.questions[std::get<2>(key)];
    const auto found = predicted.find(key);
    const std::size_t column =
        found == predicted.end() ? question.options.size() : found->second.option;
    ++question.confusion[label][column];
  }
  for (const auto& [key, prediction] : predicted) {
    if (!labelled.contains(key))
      ++evaluation.questions[std::get<2>(key)].unlabelled_frames;
  }
  std::vector<QuestionEvaluation> evaluated;
  for (auto& question : evaluation.questions) {
    summarise(question);
    if (question.frames > 0 || question.unlabelled_frames > 0)
      evaluated.push_back(std::move(question));
  }
  evaluation.questions = std::move(evaluated);
  return evaluation;
}

nlohmann::json classification_json(const ClassificationEvaluation& evaluation) {
  nlohmann::json questions = nlohmann::json::object();
  for (const auto& q : evaluation.questions) {
    nlohmann::json per_option = nlohmann::json::object();
    for (const auto& o : q.per_option) {
      per_option[o.name] = {{"labels", o.labels},     {"predicted", o.predicted},
                            {"tp", o.true_positives}, {"precision", o.precision},
                            {"recall", o.recall},     {"f1", o.f1}};
    }
    std::vector<std::string> columns = q.options;
    columns.push_back("no prediction");
    questions[q.question] = {
        {"feature_hash", q.feature_hash},
        {"frames", q.frames},
        {"correct", q.correct},
        {"accuracy", q.accuracy},
        {"unlabelled_frames", q.unlabelled_frames},
        {"macro",
         {{"precision", q.macro_precision}, {"recall", q.macro_recall}, {"f1", q.macro_f1}}},
        {"per_option", per_option},
        {"confusion_matrix",
         {{"rows_are", "labels"},
          {"columns_are", "predictions"},
          {"rows", q.options},
          {"columns", columns},
          {"counts",
           std::vector<std::vector<std::uint64_t>>(q.confusion.begin(), q.confusion.end() - 1)}}}};
  }
  return {{"protocol", "classification"},
          {"min_score", evaluation.min_score},
          {"predictions", evaluation.predictions},
          {"questions", questions}};
}

std::string classification_text(const ClassificationEvaluation& evaluation) {
  std::string text;
  for (const auto& q : evaluation.questions) {
    text += fmt::format("Classification '{}': accuracy {:.3f} ({} of {} labelled frames)",
                        q.question, q.accuracy, q.correct, q.frames);
    if (q.unlabelled_frames > 0)
      text +=
          fmt::format("; {} frame(s) with predictions but no label left out", q.unlabelled_frames);
    text += ".\n";
    std::size_t width = 13;
    for (const auto& name : q.options)
      width = std::max(width, name.size());
    text += fmt::format("{:<{}}  {:>7} {:>9} {:>9} {:>7} {:>7}\n", "option", width, "labels",
                        "predicted", "precision", "recall", "F1");
    for (const auto& o : q.per_option) {
      text += fmt::format("{:<{}}  {:>7} {:>9} {:>9.3f} {:>7.3f} {:>7.3f}\n", o.name, width,
                          o.labels, o.predicted, o.precision, o.recall, o.f1);
    }
    text += fmt::format("{:<{}}  {:>7} {:>9} {:>9.3f} {:>7.3f} {:>7.3f}\n", "macro average", width,
                        "", "", q.macro_precision, q.macro_recall, q.macro_f1);
    text += "Confusion matrix (rows: labels, columns: predictions)\n";
    text += fmt::format("{:<{}}", "", width);
    for (const auto& name : q.options)
      text += fmt::format(" {:>13}", name.substr(0, 13));
    text += fmt::format(" {:>13}\n", "no prediction");
    for (std::size_t r = 0; r < q.options.size(); ++r) {
      text += fmt::format("{:<{}}", q.options[r], width);
      for (const std::uint64_t count : q.confusion[r])
        text += fmt::format(" {:>13}", count);
      text += '\n';
    }
  }
  return text;
}

std::int64_t store_classification_evaluation(Store& store, const SetRange& set,
                                             const ClassificationEvaluation& evaluation,
                                             const nlohmann::json& results) {
  return store_protocol_evaluation(store, set, "classification", "none",
                                   {{"min_score", evaluation.min_score}}, results);
}

}  // namespace ea::core::eval
