// SPDX-License-Identifier: Apache-2.0
#include "ea/core/eval/evaluation_store.hpp"
#include "ea/core/eval/metric_impact.hpp"

#include <chrono>
#include <cmath>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "ea/core/eval/coco_report.hpp"
#include "ea/core/failure.hpp"

namespace ea::core::eval {

namespace {

// Rows per INSERT: fewer, larger statements cut the writer's time by a quarter (8 columns ×
// 1024 rows stays well under SQLite's limit of 32766 parameters).
constexpr std::size_t kRowsPerStatement = 1024;

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::true_positive:
      return "tp";
    case Outcome::false_positive:
      return "fp";
    case Outcome::ignored:
      return "ignored";
    case Outcome::not_evaluated:
      break;
  }
  return "not_evaluated";
}

const char* reason_name(FalsePositiveReason reason) {
  switch (reason) {
    case FalsePositiveReason::no_label:
      return "no_label";
    case FalsePositiveReason::low_iou:
      return "low_iou";
    case FalsePositiveReason::taken:
      return "taken";
    case FalsePositiveReason::id_zero:
      return "id_zero";
    case FalsePositiveReason::none:
      break;
  }
  return nullptr;
}

std::string values_sql(const char* head, std::size_t columns, std::size_t rows) {
  std::string row = "(";
  for (std::size_t c = 0; c < columns; ++c)
    row += c == 0 ? "?" : ",?";
  row += ")";
  std::string sql = head;
  for (std::size_t r = 0; r < rows; ++r)
    sql += (r == 0 ? "" : ",") + row;
  return sql;
}

// Inserts `count` rows, kRowsPerStatement per statement; bind(statement, first_column, index).
template <class Bind>
void insert_rows(SQLite::Database& db, const char* head, std::size_t columns, std::size_t count,
                 const Bind& bind) {
  SQLite::Statement full(db, values_sql(head, columns, kRowsPerStatement));
  std::size_t next = 0;
  for (; next + kRowsPerStatement <= count; next += kRowsPerStatement) {
    for (std::size_t i = 0; i < kRowsPerStatement; ++i)
      bind(full, static_cast<int>(i * columns) + 1, next + i);
    full.exec();
    full.reset();
  }
  if (next == count)
    return;
  SQLite::Statement rest(db, values_sql(head, columns, count - next));
  for (std::size_t i = 0; next + i < count; ++i)
    bind(rest, static_cast<int>(i * columns) + 1, next + i);
  rest.exec();
}

void delete_evaluation(SQLite::Database& db, std::int64_t id) {
  for (const char* table : {"prediction_matches", "label_matches", "evaluation_thresholds"}) {
    SQLite::Statement remove(db, std::string("DELETE FROM ") + table + " WHERE evaluation_id = ?");
    remove.bind(1, id);
    remove.exec();
  }
  SQLite::Statement remove(db, "DELETE FROM evaluations WHERE id = ?");
  remove.bind(1, id);
  remove.exec();
}

}  // namespace

SetRange find_set(Store& store, const std::string& name) {
  SQLite::Statement query(
      store.db(), name.empty() ? "SELECT id, name, first_prediction_id, last_prediction_id FROM "
                                 "prediction_sets ORDER BY id DESC LIMIT 1"
                               : "SELECT id, name, first_prediction_id, last_prediction_id FROM "
                                 "prediction_sets WHERE name = ?");
  if (!name.empty())
    query.bind(1, name);
  if (query.executeStep()) {
    SetRange set{query.getColumn(0).getInt64(), query.getColumn(1).getString(), 1, 0};
    if (!query.getColumn(2).isNull()) {
      set.first = query.getColumn(2).getInt64();
      set.last = query.getColumn(3).getInt64();
    }
    return set;
  }
  std::string names;
  SQLite::Statement all(store.db(), "SELECT name FROM prediction_sets ORDER BY name");
  while (all.executeStep())
    names += (names.empty() ? "" : ", ") + all.getColumn(0).getString();
  if (names.empty())
    throw Failure("the project has no prediction sets; import one with `ea import predictions`.");
  throw Failure("there is no prediction set named '" + name + "'; the sets are " + names + ".");
}

namespace {

// The time evaluations are stored with, ISO 8601 in UTC.
std::string utc_now() {
  return fmt::format(
      "{:%Y-%m-%dT%H:%M:%SZ}",
      fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

}  // namespace

std::int64_t store_protocol_evaluation(Store& store, const SetRange& set,
                                       const std::string& protocol, const std::string& iou_type,
                                       const nlohmann::json& params,
                                       const nlohmann::json& results) {
  SQLite::Database& db = store.db();
  SQLite::Transaction transaction(db);
  const std::string params_text = params.dump();
  SQLite::Statement remove(
      db, "DELETE FROM evaluations WHERE set_id = ? AND protocol = ? AND params = ?");
  remove.bind(1, set.id);
  remove.bind(2, protocol);
  remove.bind(3, params_text);
  remove.exec();
  SQLite::Statement insert(db,
                           "INSERT INTO evaluations (set_id, protocol, iou_type, params, results, "
                           "created_at) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, set.id);
  insert.bind(2, protocol);
  insert.bind(3, iou_type);
  insert.bind(4, params_text);
  insert.bind(5, results.dump());
  insert.bind(6, utc_now());
  insert.exec();
  const std::int64_t id = db.getLastInsertRowid();
  transaction.commit();
  return id;
}

EvaluationWriter::EvaluationWriter(Store& store, const SetRange& set, const CocoParams& params)
    : store_(store), validated_(store.db()), transaction_(store.db()) {
  SQLite::Database& db = store.db();
  // Half a million match rows take about 25 MB of pages: keep them in memory until the commit
  // rather than spilling them into the WAL mid-transaction (this connection only).
  db.exec("PRAGMA cache_size = -262144");
  const std::string params_text = params_json(params).dump();
  const char* iou_type = to_string(params.iou_type);
  SQLite::Statement earlier(db,
                            "SELECT id FROM evaluations WHERE set_id = ? AND protocol = 'coco' "
                            "AND iou_type = ? AND params = ?");
  earlier.bind(1, set.id);
  earlier.bind(2, iou_type);
  earlier.bind(3, params_text);
  while (earlier.executeStep())
    replaced_.push_back(earlier.getColumn(0).getInt64());

  SQLite::Statement insert(db,
                           "INSERT INTO evaluations (set_id, protocol, iou_type, params, results, "
                           "created_at) VALUES (?, 'coco', ?, ?, '{}', ?)");
  insert.bind(1, set.id);
  insert.bind(2, iou_type);
  insert.bind(3, params_text);
  insert.bind(4, utc_now());
  insert.exec();
  id_ = db.getLastInsertRowid();
  const auto& thresholds = params.iou_thresholds;
  insert_rows(db, "INSERT INTO evaluation_thresholds (evaluation_id, bit, iou) VALUES ", 3,
              thresholds.size(), [&](SQLite::Statement& s, int c, std::size_t i) {
                s.bind(c, id_);
                s.bind(c + 1, static_cast<std::int64_t>(i));
                s.bind(c + 2, thresholds[i]);
              });
}

void EvaluationWriter::write_matches(const EvalDataset& dataset,
                                     std::span<const DetectionResult> detections,
                                     std::span<const TruthResult> truths) {
  SQLite::Database& db = store_.db();
  // Replacing happens here, on the writer's core: deleting half a million rows takes a while.
  // When the replaced evaluations are all the store holds (the usual case), the tables are
  // emptied with an unqualified DELETE, which SQLite truncates without visiting each row.
  const std::int64_t others =
      db.execAndGet("SELECT count(*) FROM evaluations WHERE id <> " + std::to_string(id_))
          .getInt64();
  if (!replaced_.empty() && others == static_cast<std::int64_t>(replaced_.size())) {
    for (const char* table : {"prediction_matches", "label_matches"})
      db.exec(std::string("DELETE FROM ") + table);
  }
  for (const std::int64_t id : replaced_)
    delete_evaluation(db, id);
  insert_rows(db,
              "INSERT INTO prediction_matches (evaluation_id, prediction_id, label_id, iou, "
              "tp_mask, ignored_mask, outcome, fp_reason) VALUES ",
              8, dataset.detections.size(), [&](SQLite::Statement& s, int c, std::size_t i) {
                const DetectionResult& result = detections[i];
                s.bind(c, id_);
                s.bind(c + 1, dataset.detections[i].key);
                if (result.truth >= 0) {
                  s.bind(c + 2, dataset.truths[static_cast<std::size_t>(result.truth)].key);
                } else {
                  s.bind(c + 2);
                }
                if (result.outcome == Outcome::not_evaluated) {
                  s.bind(c + 3);
                } else {
                  s.bind(c + 3, result.iou);
                }
                // Bit 63 set would read back negative; SQLite integers are signed.
                s.bind(c + 4, static_cast<std::int64_t>(result.true_positive_mask));
                s.bind(c + 5, static_cast<std::int64_t>(result.ignored_mask));
                s.bindNoCopy(c + 6, outcome_name(result.outcome));
                if (const char* reason = reason_name(result.reason)) {
                  s.bindNoCopy(c + 7, reason);
                } else {
                  s.bind(c + 7);
                }
              });
  insert_rows(db,
              "INSERT INTO label_matches (evaluation_id, label_id, matched_mask, ignored) VALUES ",
              4, dataset.truths.size(), [&](SQLite::Statement& s, int c, std::size_t i) {
                s.bind(c, id_);
                s.bind(c + 1, dataset.truths[i].key);
                s.bind(c + 2, static_cast<std::int64_t>(truths[i].matched_mask));
                s.bind(c + 3, truths[i].ignored ? 1 : 0);
              });
}

void EvaluationWriter::commit(const nlohmann::json& results) {
  SQLite::Statement update(store_.db(), "UPDATE evaluations SET results = ? WHERE id = ?");
  update.bind(1, results.dump());
  update.bind(2, id_);
  update.exec();
  transaction_.commit();
}

std::int64_t threshold_bit(Store& store, std::int64_t evaluation_id, double iou) {
  std::int64_t bit = -1;
  std::string stored;
  SQLite::Statement thresholds(
      store.db(),
      "SELECT bit, iou FROM evaluation_thresholds WHERE evaluation_id = ? ORDER BY bit");
  thresholds.bind(1, evaluation_id);
  while (thresholds.executeStep()) {
    const double value = thresholds.getColumn(1).getDouble();
    stored += fmt::format("{}{:g}", stored.empty() ? "" : ", ", value);
    if (std::fabs(value - iou) < 1e-9)
      bit = thresholds.getColumn(0).getInt64();
  }
  if (bit < 0) {
    throw Failure(
        fmt::format("--iou {:g} is not one of the evaluated IoU thresholds ({}).", iou, stored));
  }
  return bit;
}

std::vector<OperatingPoint> operating_point(Store& store, std::int64_t evaluation_id, double iou,
                                            double score) {
  SQLite::Database& db = store.db();
  const std::int64_t bit = threshold_bit(store, evaluation_id, iou);
  // Matching is greedy in score order, so the matches of detections above a score do not depend
  // on the ones below it: TP and FP at (iou, score) are counts over the stored matches, and every
  // label a true positive does not take is a miss.
  SQLite::Statement query(
      db,
      "WITH detections AS ("
      "  SELECT p.object_id AS object_id,"
      "         sum((m.tp_mask >> :bit) & 1) AS tp,"
      "         sum(1 - ((m.tp_mask >> :bit) & 1) - ((m.ignored_mask >> :bit) & 1)) AS fp"
      "  FROM prediction_matches m JOIN predictions p ON p.id = m.prediction_id"
      "  WHERE m.evaluation_id = :evaluation AND m.outcome <> 'not_evaluated'"
      "    AND p.confidence >= :score GROUP BY p.object_id),"
      " truths AS ("
      "  SELECT l.object_id AS object_id, count(*) AS positives"
      "  FROM label_matches lm JOIN labels l ON l.id = lm.label_id"
      "  WHERE lm.evaluation_id = :evaluation AND lm.ignored = 0 GROUP BY l.object_id)"
      " SELECT o.name, coalesce(d.tp, 0), coalesce(d.fp, 0), coalesce(t.positives, 0)"
      " FROM ontology_objects o LEFT JOIN detections d ON d.object_id = o.id"
      " LEFT JOIN truths t ON t.object_id = o.id"
      " WHERE d.object_id IS NOT NULL OR t.object_id IS NOT NULL ORDER BY o.name");
  query.bind(":bit", bit);
  query.bind(":evaluation", evaluation_id);
  query.bind(":score", score);
  std::vector<OperatingPoint> points;
  OperatingPoint total{"all"};
  std::uint64_t total_positives = 0;
  const auto finish = [](OperatingPoint& point, std::uint64_t positives) {
    point.false_negatives = positives > point.true_positives ? positives - point.true_positives : 0;
    const double tp = static_cast<double>(point.true_positives);
    const double detections = tp + static_cast<double>(point.false_positives);
    point.precision = detections > 0 ? tp / detections : 0;
    point.recall = positives > 0 ? tp / static_cast<double>(positives) : 0;
    const double sum = point.precision + point.recall;
    point.f1 = sum > 0 ? 2 * point.precision * point.recall / sum : 0;
  };
  while (query.executeStep()) {
    OperatingPoint point{query.getColumn(0).getString()};
    point.true_positives = static_cast<std::uint64_t>(query.getColumn(1).getInt64());
    point.false_positives = static_cast<std::uint64_t>(query.getColumn(2).getInt64());
    const auto positives = static_cast<std::uint64_t>(query.getColumn(3).getInt64());
    finish(point, positives);
    total.true_positives += point.true_positives;
    total.false_positives += point.false_positives;
    total_positives += positives;
    points.push_back(std::move(point));
  }
  finish(total, total_positives);
  points.push_back(std::move(total));
  return points;
}

}  // namespace ea::core::eval
