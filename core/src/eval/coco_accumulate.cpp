// SPDX-License-Identifier: Apache-2.0
// pycocotools' accumulate(): precision/recall curves per class, area range and maxDets.
//
// pycocotools builds, for every (threshold, class, area, maxDets), the arrays rc = tp/npig and
// pr = tp/(tp+fp+eps) over all detections sorted by score, makes pr non-increasing from the right
// and reads it at np.searchsorted(rc, recThrs). The same numbers come out of one pass with far
// fewer divisions: a monotone correctly rounded division makes "first i with rc[i] >= r" the
// first i where the true-positive count reaches the smallest integer c with fl(c/npig) >= r; and
// the right-to-left maximum of pr at i is the larger of pr[i] and pr at the true positives after
// i, since pr only falls between true positives.
#include <algorithm>
#include <cmath>
#include <limits>

#include "coco_matching.hpp"

namespace ea::core::eval::detail {

namespace {

// np.spacing(1): pycocotools adds it to the precision denominator.
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

class Accumulator {
 public:
  Accumulator(const MatchTable& table, CocoEvaluation& evaluation)
      : table_(table), evaluation_(evaluation), params_(evaluation.params) {}

  void category(std::size_t k) {
    const std::size_t first = table_.category_groups[k], last = table_.category_groups[k + 1];
    if (first == last)
      return;  // no image has labels or detections of this class: entries stay −1
    for (std::size_t m = 0; m < evaluation_.M; ++m) {
      // Precision curves are read (summary, per class, PR curves) only at maxDets 100, at
      // maxDets[2] and at the largest; elsewhere only the final recall is, which needs no sort.
      const bool curves = params_.max_dets[m] == 100 ||
                          m == std::min<std::size_t>(2, evaluation_.M - 1) ||
                          m + 1 == evaluation_.M;
      gather(first, last, params_.max_dets[m], curves);
      for (std::size_t a = 0; a < evaluation_.A; ++a) {
        std::uint64_t counted = 0;
        for (std::size_t g = first; g < last; ++g)
          counted += table_.counted_truths[g * evaluation_.A + a];
        if (counted == 0)
          continue;
        load_bits(a);
        if (curves)
          count_thresholds(counted);
        for (std::size_t t = 0; t < evaluation_.T; ++t) {
          if (curves)
            curve(k, a, m, t, counted);
          else
            final_recall(k, a, m, t, counted);
        }
      }
    }
  }

 private:
  std::size_t cell(std::size_t t, std::size_t r, std::size_t k, std::size_t a,
                   std::size_t m) const {
    return (((t * evaluation_.R + r) * evaluation_.K + k) * evaluation_.A + a) * evaluation_.M + m;
  }

  // The slots of the class's images, each image cut to `max_det`, sorted by score (stable).
  void gather(std::size_t first, std::size_t last, std::uint32_t max_det, bool sorted) {
    slots_.clear();
    for (std::size_t g = first; g < last; ++g) {
      const Group& group = table_.groups[g];
      const std::size_t count = std::min<std::size_t>(group.slot_count, max_det);
      for (std::size_t s = 0; s < count; ++s)
        slots_.push_back(group.first_slot + s);
    }
    if (!sorted)
      return;
    std::stable_sort(slots_.begin(), slots_.end(), [&](std::size_t a, std::size_t b) {
      return table_.slot_score[a] > table_.slot_score[b];
    });
  }

  // The true-positive and counted bits of the gathered slots for area range `a`, in order.
  void load_bits(std::size_t a) {
    const std::size_t slot_count = table_.slot_detection.size();
    const std::uint64_t* matched = table_.matched.data() + a * slot_count;
    const std::uint64_t* ignored = table_.ignored.data() + a * slot_count;
    true_positive_.resize(slots_.size());
    counted_.resize(slots_.size());
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const std::size_t s = slots_[i];
      true_positive_[i] = matched[s] & ~ignored[s];
      counted_[i] = ~ignored[s];
    }
  }

  // For each recall threshold r, the smallest true-positive count c with fl(c / npig) >= r.
  void count_thresholds(std::uint64_t counted) {
    const double positives = static_cast<double>(counted);
    needed_.resize(evaluation_.R);
    for (std::size_t r = 0; r < evaluation_.R; ++r) {
      const double threshold = params_.recall_thresholds[r];
      double c = std::max(0.0, std::ceil(threshold * positives));
      while (c > 0 && (c - 1) / positives >= threshold)
        c -= 1;
      while (c / positives < threshold)
        c += 1;
      needed_[r] = c;
    }
  }

  // recall[t][k][a][m] alone: the true positives among the kept detections over the labels.
  void final_recall(std::size_t k, std::size_t a, std::size_t m, std::size_t t,
                    std::uint64_t counted) {
    double tp = 0;
    for (const std::uint64_t bits : true_positive_)
      tp += static_cast<double>((bits >> t) & 1);
    evaluation_.recall[((t * evaluation_.K + k) * evaluation_.A + a) * evaluation_.M + m] =
        true_positive_.empty() ? 0 : tp / static_cast<double>(counted);
  }

  void curve(std::size_t k, std::size_t a, std::size_t m, std::size_t t, std::uint64_t counted) {
    const std::size_t n = slots_.size(), R = evaluation_.R;
    // Walk the detections once: note pr at each true positive, and where each recall threshold
    // is first reached (with pr there).
    peaks_.clear();
    reached_at_.assign(R, n);
    reached_precision_.assign(R, 0.0);
    double tp = 0, fp = 0;
    std::size_t r = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool positive = (true_positive_[i] >> t) & 1;
      if ((counted_[i] >> t) & 1) {
        if (positive)
          tp += 1;
        else
          fp += 1;
      }
      if (!positive && i > 0)
        continue;
      const double precision = tp / (fp + tp + kEpsilon);
      if (positive)
        peaks_.push_back({i, precision});
      for (; r < R && tp >= needed_[r]; ++r) {
        reached_at_[r] = i;
        reached_precision_[r] = precision;
      }
    }
    evaluation_.recall[((t * evaluation_.K + k) * evaluation_.A + a) * evaluation_.M + m] =
        n > 0 ? tp / static_cast<double>(counted) : 0;
    // Right-to-left maximum: thresholds from the last reached backwards over the peaks.
    double best_after = 0;
    std::size_t peak = peaks_.size();
    for (std::size_t q = R; q-- > 0;) {
      const std::size_t at = cell(t, q, k, a, m);
      if (reached_at_[q] == n) {
        evaluation_.precision[at] = 0;
        evaluation_.scores[at] = 0;
        continue;
      }
      while (peak > 0 && peaks_[peak - 1].index > reached_at_[q])
        best_after = std::max(best_after, peaks_[--peak].precision);
      evaluation_.precision[at] = std::max(reached_precision_[q], best_after);
      evaluation_.scores[at] = table_.slot_score[slots_[reached_at_[q]]];
    }
  }

  struct Peak {
    std::size_t index;  // position in score order
    double precision;   // pr there
  };

  const MatchTable& table_;
  CocoEvaluation& evaluation_;
  const CocoParams& params_;
  std::vector<std::size_t> slots_;
  std::vector<std::uint64_t> true_positive_;  // per gathered slot: bit t = a true positive
  std::vector<std::uint64_t> counted_;        // per gathered slot: bit t = not ignored
  std::vector<double> needed_;                // per recall threshold: true positives needed
  std::vector<Peak> peaks_;
  std::vector<std::size_t> reached_at_;
  std::vector<double> reached_precision_;
};

}  // namespace

void accumulate(const MatchTable& table, CocoEvaluation& evaluation) {
  const std::size_t cells =
      evaluation.T * evaluation.R * evaluation.K * evaluation.A * evaluation.M;
  evaluation.precision.assign(cells, -1.0);
  evaluation.scores.assign(cells, -1.0);
  evaluation.recall.assign(evaluation.T * evaluation.K * evaluation.A * evaluation.M, -1.0);
  // Classes are independent; split them where half of the slots lie on each side.
  const std::size_t K = evaluation.K;
  std::size_t split = 0;
  const std::size_t total = table.slot_detection.size();
  std::size_t running = 0;
  while (split < K && running * 2 < total) {
    for (std::size_t g = table.category_groups[split]; g < table.category_groups[split + 1]; ++g)
      running += table.groups[g].slot_count;
    ++split;
  }
  run_on_both_cores(K, split, [&](std::size_t begin, std::size_t end) {
    Accumulator accumulator(table, evaluation);
    for (std::size_t k = begin; k < end; ++k)
      accumulator.category(k);
  });
}

}  // namespace ea::core::eval::detail
