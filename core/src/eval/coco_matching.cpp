// SPDX-License-Identifier: Apache-2.0
// pycocotools' computeIoU and evaluateImg for every (class, image) group.
#include "coco_matching.hpp"

#include <algorithm>
#include <numeric>

#include "ea/core/eval/object_iou.hpp"

namespace ea::core::eval::detail {

namespace {

std::uint64_t group_key(const EvalObject& object, bool use_categories, std::size_t image_count) {
  return (use_categories ? object.category : 0) * static_cast<std::uint64_t>(image_count) +
         object.image;
}

// Objects in group order, with their group keys: by (class, image), and inside a group by
// class then source order — class-agnostic evaluation concatenates the classes in category
// order, as pycocotools does.
struct GroupedOrder {
  std::vector<std::uint32_t> indices;  // object indices in group order
  std::vector<std::uint64_t> keys;     // the group key of each
};

GroupedOrder grouped_order(const std::vector<EvalObject>& objects, const std::vector<bool>& kept,
                           bool use_categories, std::size_t image_count,
                           std::size_t category_count) {
  GroupedOrder grouped;
  const std::size_t group_count = (use_categories ? category_count : 1) * image_count;
  if (use_categories && group_count <= 8 * objects.size() + (1u << 20)) {
    // A stable counting sort: one class per group, so source order is all that is left.
    std::vector<std::uint32_t> start(group_count + 1, 0);
    for (std::uint32_t i = 0; i < objects.size(); ++i) {
      if (kept.empty() || kept[i])
        ++start[group_key(objects[i], true, image_count) + 1];
    }
    for (std::size_t g = 0; g < group_count; ++g)
      start[g + 1] += start[g];
    grouped.indices.resize(start[group_count]);
    grouped.keys.resize(start[group_count]);
    for (std::uint32_t i = 0; i < objects.size(); ++i) {
      if (!kept.empty() && !kept[i])
        continue;
      const std::uint64_t key = group_key(objects[i], true, image_count);
      const std::uint32_t at = start[key]++;
      grouped.indices[at] = i;
      grouped.keys[at] = key;
    }
    return grouped;
  }
  struct Entry {
    std::uint64_t key;
    std::uint32_t category;
    std::uint32_t index;
  };
  std::vector<Entry> entries;
  entries.reserve(objects.size());
  for (std::uint32_t i = 0; i < objects.size(); ++i) {
    if (!kept.empty() && !kept[i])
      continue;
    entries.push_back({group_key(objects[i], use_categories, image_count), objects[i].category, i});
  }
  // Indices are unique, so sorting by (key, class, index) keeps source order within a class.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.key != b.key)
      return a.key < b.key;
    return a.category != b.category ? a.category < b.category : a.index < b.index;
  });
  for (const Entry& entry : entries) {
    grouped.indices.push_back(entry.index);
    grouped.keys.push_back(entry.key);
  }
  return grouped;
}

// Scratch space of one thread.
struct Scratch {
  std::vector<std::uint32_t> detections;  // the group's detections by score, cut to maxDets
  std::vector<std::uint32_t> by_score;    // their positions in the group, by score
  std::vector<double> scores;             // their scores, in the same order
  std::vector<double> areas;              // their areas, in the same order
  std::vector<double> ious;               // [detection][truth in source order]
  std::vector<std::uint32_t> truths;      // truth positions, not-ignored first
  std::vector<char> truth_ignored;        // per truth position (source order)
  std::vector<char> truth_taken;          // [threshold][truth position]
  std::vector<std::int32_t> first_match;  // label matched at the first threshold, per detection
};

// The score and area of each detection in MatchTable::detection_order. Gathered once, so a group
// reads them in sequence: chasing each detection's record while sorting a group by score cost a
// quarter of the matching in cache misses.
struct GroupedDetections {
  std::vector<double> scores;
  std::vector<double> areas;

  GroupedDetections(const EvalDataset& dataset, const std::vector<std::uint32_t>& order)
      : scores(order.size()), areas(order.size()) {
    for (std::size_t i = 0; i < order.size(); ++i) {
      const EvalObject& detection = dataset.detections[order[i]];
      scores[i] = detection.score;
      areas[i] = detection.area;
    }
  }
};

class GroupMatcher {
 public:
  GroupMatcher(const EvalDataset& dataset, const CocoParams& params, MatchTable& table,
               const GroupedDetections& grouped, std::vector<DetectionResult>& detections,
               std::vector<TruthResult>& truths)
      : dataset_(dataset),
        params_(params),
        table_(table),
        grouped_(grouped),
        detections_(detections),
        truths_(truths) {}

  void match(const Group& group, std::size_t group_index, Scratch& scratch) const {
    const std::uint32_t* truth_ids = table_.truth_order.data() + group.first_truth;
    const std::size_t truth_count = group.truth_count;
    sort_detections(group, scratch);
    const std::size_t kept = group.slot_count;
    compute_ious(truth_ids, truth_count, scratch);
    for (std::size_t slot = 0; slot < kept; ++slot) {
      table_.slot_detection[group.first_slot + slot] = scratch.detections[slot];
      table_.slot_score[group.first_slot + slot] = scratch.scores[slot];
    }
    for (std::size_t a = 0; a < params_.area_ranges.size(); ++a)
      match_area(group, group_index, a, truth_ids, truth_count, scratch);
  }

 private:
  // The group's detections by descending score, ties in file order (pycocotools' stable sort),
  // cut to maxDets.
  void sort_detections(const Group& group, Scratch& scratch) const {
    const double* scores = grouped_.scores.data() + group.first_detection;
    auto& order = scratch.by_score;
    order.resize(group.detection_count);
    std::iota(order.begin(), order.end(), 0u);
    const auto higher = [scores](std::uint32_t a, std::uint32_t b) {
      return scores[a] > scores[b];
    };
    if (order.size() <= 32) {
      // Most groups hold a handful of detections: a stable insertion sort allocates nothing.
      for (std::size_t i = 1; i < order.size(); ++i) {
        const std::uint32_t moving = order[i];
        std::size_t j = i;
        for (; j > 0 && higher(moving, order[j - 1]); --j)
          order[j] = order[j - 1];
        order[j] = moving;
      }
    } else {
      std::stable_sort(order.begin(), order.end(), higher);
    }
    order.resize(group.slot_count);  // the rest stay "not evaluated"
    scratch.detections.resize(order.size());
    scratch.scores.resize(order.size());
    scratch.areas.resize(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      scratch.detections[i] = table_.detection_order[group.first_detection + order[i]];
      scratch.scores[i] = scores[order[i]];
      scratch.areas[i] = grouped_.areas[group.first_detection + order[i]];
    }
  }

  void compute_ious(const std::uint32_t* truth_ids, std::size_t truth_count,
                    Scratch& scratch) const {
    const std::size_t kept = scratch.detections.size();
    scratch.ious.assign(kept * truth_count, 0.0);
    for (std::size_t d = 0; d < kept; ++d) {
      const EvalObject& detection = dataset_.detections[scratch.detections[d]];
      for (std::size_t g = 0; g < truth_count; ++g) {
        const EvalObject& truth = dataset_.truths[truth_ids[g]];
        scratch.ious[d * truth_count + g] =
            object_iou(dataset_, params_.iou_type, detection, truth);
      }
    }
  }

  void match_area(const Group& group, std::size_t group_index, std::size_t a,
                  const std::uint32_t* truth_ids, std::size_t truth_count, Scratch& scratch) const {
    const AreaRange& range = params_.area_ranges[a];
    const auto outside = [&](double area) { return area < range.low || area > range.high; };
    scratch.truth_ignored.assign(truth_count, 0);
    std::uint32_t counted = 0;
    for (std::size_t g = 0; g < truth_count; ++g) {
      const EvalObject& truth = dataset_.truths[truth_ids[g]];
      // pycocotools sets ignore = iscrowd, discarding the annotation's own flag.
      const bool flagged = truth.crowd || (!params_.quirks && truth.ignore);
      scratch.truth_ignored[g] = flagged || outside(truth.area);
      counted += scratch.truth_ignored[g] ? 0 : 1;
    }
    table_.counted_truths[group_index * params_.area_ranges.size() + a] = counted;
    // Counted labels first, then ignored ones, each in source order (pycocotools' stable sort).
    scratch.truths.clear();
    for (const bool ignored : {false, true}) {
      for (std::uint32_t g = 0; g < truth_count; ++g) {
        if ((scratch.truth_ignored[g] != 0) == ignored)
          scratch.truths.push_back(g);
      }
    }

    const std::size_t thresholds = params_.iou_thresholds.size();
    const std::size_t kept = scratch.detections.size();
    scratch.truth_taken.assign(thresholds * truth_count, 0);
    std::uint64_t* matched =
        table_.matched.data() + a * table_.slot_detection.size() + group.first_slot;
    std::uint64_t* ignored =
        table_.ignored.data() + a * table_.slot_detection.size() + group.first_slot;
    std::vector<std::int32_t>& first_match = scratch.first_match;
    first_match.assign(kept, -1);
    for (std::size_t d = 0; d < kept; ++d) {
      matched[d] = 0;
      ignored[d] = 0;
    }
    for (std::size_t t = 0; t < thresholds; ++t) {
      char* taken = scratch.truth_taken.data() + t * truth_count;
      for (std::size_t d = 0; d < kept; ++d) {
        double best = std::min(params_.iou_thresholds[t], 1 - 1e-10);
        std::int64_t m = -1;
        for (const std::uint32_t g : scratch.truths) {
          if (taken[g] && !dataset_.truths[truth_ids[g]].crowd)
            continue;
          // Once a counted label matched, ignored ones (sorted last) cannot replace it.
          if (m > -1 && !scratch.truth_ignored[m] && scratch.truth_ignored[g])
            break;
          const double iou = scratch.ious[d * truth_count + g];
          if (iou < best)
            continue;
          best = iou;
          m = g;
        }
        if (m == -1)
          continue;
        const EvalObject& truth = dataset_.truths[truth_ids[m]];
        // pycocotools stores the label's id and treats 0 as "no match".
        const bool counts = !(params_.quirks && truth.source_id == 0);
        if (scratch.truth_ignored[m])
          ignored[d] |= std::uint64_t{1} << t;
        if (counts)
          matched[d] |= std::uint64_t{1} << t;
        taken[m] = 1;
        if (t == 0)
          first_match[d] = static_cast<std::int32_t>(m);
      }
    }
    const std::uint64_t all_thresholds =
        thresholds == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << thresholds) - 1;
    for (std::size_t d = 0; d < kept; ++d) {
      if (outside(scratch.areas[d]))
        ignored[d] |= ~matched[d] & all_thresholds;
    }
    if (a == 0)
      record_results(truth_ids, truth_count, matched, ignored, first_match, scratch);
  }

  void record_results(const std::uint32_t* truth_ids, std::size_t truth_count,
                      const std::uint64_t* matched, const std::uint64_t* ignored,
                      const std::vector<std::int32_t>& first_match, const Scratch& scratch) const {
    const std::size_t thresholds = params_.iou_thresholds.size();
    for (std::size_t g = 0; g < truth_count; ++g) {
      TruthResult& result = truths_[truth_ids[g]];
      result.ignored = scratch.truth_ignored[g] != 0;
      result.matched_mask = 0;
      for (std::size_t t = 0; t < thresholds; ++t) {
        if (scratch.truth_taken[t * truth_count + g])
          result.matched_mask |= std::uint64_t{1} << t;
      }
    }
    for (std::size_t d = 0; d < scratch.detections.size(); ++d) {
      DetectionResult& result = detections_[scratch.detections[d]];
      result.true_positive_mask = matched[d] & ~ignored[d];
      result.ignored_mask = ignored[d];
      const std::int32_t m = first_match[d];
      if (m >= 0) {
        result.truth = static_cast<std::int32_t>(truth_ids[m]);
        result.iou = scratch.ious[d * truth_count + static_cast<std::size_t>(m)];
      }
      if (ignored[d] & 1) {
        result.outcome = Outcome::ignored;
      } else if (matched[d] & 1) {
        result.outcome = Outcome::true_positive;
      } else {
        result.outcome = Outcome::false_positive;
        result.reason = false_positive_reason(d, m, truth_count, scratch, result);
      }
    }
  }

  FalsePositiveReason false_positive_reason(std::size_t d, std::int32_t m, std::size_t truth_count,
                                            const Scratch& scratch, DetectionResult& result) const {
    if (m >= 0)
      return FalsePositiveReason::id_zero;
    if (truth_count == 0)
      return FalsePositiveReason::no_label;
    double best = 0;
    for (std::size_t g = 0; g < truth_count; ++g)
      best = std::max(best, scratch.ious[d * truth_count + g]);
    result.iou = best;
    return best >= std::min(params_.iou_thresholds[0], 1 - 1e-10) ? FalsePositiveReason::taken
                                                                  : FalsePositiveReason::low_iou;
  }

  const EvalDataset& dataset_;
  const CocoParams& params_;
  MatchTable& table_;
  const GroupedDetections& grouped_;
  std::vector<DetectionResult>& detections_;
  std::vector<TruthResult>& truths_;
};

}  // namespace

MatchTable match_groups(const EvalDataset& dataset, const CocoParams& params,
                        std::vector<DetectionResult>& detections,
                        std::vector<TruthResult>& truths) {
  MatchTable table;
  const std::size_t image_count = dataset.images.size();
  const std::size_t category_count = params.use_categories ? dataset.categories.size() : 1;
  std::vector<bool> kept(dataset.detections.size());
  for (std::size_t i = 0; i < kept.size(); ++i)
    kept[i] = dataset.detections[i].score >= params.min_score;
  const std::size_t classes = std::max<std::size_t>(dataset.categories.size(), 1);
  GroupedOrder truths_grouped =
      grouped_order(dataset.truths, {}, params.use_categories, image_count, classes);
  GroupedOrder detections_grouped =
      grouped_order(dataset.detections, kept, params.use_categories, image_count, classes);
  table.truth_order = std::move(truths_grouped.indices);
  table.detection_order = std::move(detections_grouped.indices);
  detections.assign(dataset.detections.size(), DetectionResult{});
  truths.assign(dataset.truths.size(), TruthResult{});

  // Walk both grouped lists together to form the groups.
  const std::uint32_t max_det = params.max_dets.empty() ? 0 : params.max_dets.back();
  std::size_t ti = 0, di = 0, slots = 0;
  table.category_groups.assign(category_count + 1, 0);
  // At most one group per object; memory reserved but never reached is never touched.
  table.groups.reserve(table.truth_order.size() + table.detection_order.size());
  const auto key_of_truth = [&](std::size_t i) { return truths_grouped.keys[i]; };
  const auto key_of_detection = [&](std::size_t i) { return detections_grouped.keys[i]; };
  while (ti < table.truth_order.size() || di < table.detection_order.size()) {
    const std::uint64_t key =
        std::min(ti < table.truth_order.size() ? key_of_truth(ti) : UINT64_MAX,
                 di < table.detection_order.size() ? key_of_detection(di) : UINT64_MAX);
    Group group;
    group.category = static_cast<std::uint32_t>(key / std::max<std::size_t>(image_count, 1));
    group.first_truth = ti;
    while (ti < table.truth_order.size() && key_of_truth(ti) == key)
      ++ti;
    group.truth_count = ti - group.first_truth;
    group.first_detection = di;
    while (di < table.detection_order.size() && key_of_detection(di) == key)
      ++di;
    group.detection_count = di - group.first_detection;
    group.first_slot = slots;
    group.slot_count = std::min<std::size_t>(group.detection_count, max_det);
    slots += group.slot_count;
    ++table.category_groups[group.category + 1];
    table.groups.push_back(group);
  }
  std::partial_sum(table.category_groups.begin(), table.category_groups.end(),
                   table.category_groups.begin());

  const std::size_t areas = params.area_ranges.size();
  table.slot_detection.resize(slots);
  table.slot_score.resize(slots);
  table.matched.resize(areas * slots);
  table.ignored.resize(areas * slots);
  table.counted_truths.resize(table.groups.size() * areas);

  // Split the work where half of the pairs to compare lie on each side.
  std::size_t total = 0;
  for (const Group& group : table.groups)
    total += (group.slot_count + 1) * (group.truth_count + 1);
  std::size_t split = 0, running = 0;
  while (split < table.groups.size() && running * 2 < total) {
    running += (table.groups[split].slot_count + 1) * (table.groups[split].truth_count + 1);
    ++split;
  }
  const GroupedDetections grouped(dataset, table.detection_order);
  const GroupMatcher matcher(dataset, params, table, grouped, detections, truths);
  run_on_both_cores(table.groups.size(), split, [&](std::size_t begin, std::size_t end) {
    Scratch scratch;
    for (std::size_t g = begin; g < end; ++g)
      matcher.match(table.groups[g], g, scratch);
  });
  return table;
}

}  // namespace ea::core::eval::detail
