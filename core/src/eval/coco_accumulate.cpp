// SPDX-License-Identifier: Apache-2.0
// pycocotools' accumulate(): precision/recall curves per class, area range and maxDets.
#include <algorithm>
#include <limits>
#include <numeric>

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
      gather(first, last, params_.max_dets[m]);
      for (std::size_t a = 0; a < evaluation_.A; ++a) {
        std::uint64_t counted = 0;
        for (std::size_t g = first; g < last; ++g)
          counted += table_.counted_truths[g * evaluation_.A + a];
        if (counted == 0)
          continue;
        for (std::size_t t = 0; t < evaluation_.T; ++t)
          curve(k, a, m, t, counted);
      }
    }
  }

 private:
  // The slots of the class's images, each image cut to `max_det`, sorted by score (stable).
  void gather(std::size_t first, std::size_t last, std::uint32_t max_det) {
    slots_.clear();
    for (std::size_t g = first; g < last; ++g) {
      const Group& group = table_.groups[g];
      const std::size_t count = std::min<std::size_t>(group.slot_count, max_det);
      for (std::size_t s = 0; s < count; ++s)
        slots_.push_back(group.first_slot + s);
    }
    std::stable_sort(slots_.begin(), slots_.end(), [&](std::size_t a, std::size_t b) {
      return table_.slot_score[a] > table_.slot_score[b];
    });
  }

  void curve(std::size_t k, std::size_t a, std::size_t m, std::size_t t, std::uint64_t counted) {
    const std::size_t slot_count = table_.slot_detection.size();
    const std::uint64_t* matched = table_.matched.data() + a * slot_count;
    const std::uint64_t* ignored = table_.ignored.data() + a * slot_count;
    const std::size_t n = slots_.size();
    recall_.resize(n);
    precision_.resize(n);
    double tp = 0, fp = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t s = slots_[i];
      if (!((ignored[s] >> t) & 1)) {
        if ((matched[s] >> t) & 1)
          tp += 1;
        else
          fp += 1;
      }
      recall_[i] = tp / static_cast<double>(counted);
      precision_[i] = tp / (fp + tp + kEpsilon);
    }
    const std::size_t T = evaluation_.T, R = evaluation_.R, K = evaluation_.K, A = evaluation_.A,
                      M = evaluation_.M;
    evaluation_.recall[((t * K + k) * A + a) * M + m] = n > 0 ? recall_[n - 1] : 0;
    (void)T;
    for (std::size_t i = n; i-- > 1;) {
      if (precision_[i] > precision_[i - 1])
        precision_[i - 1] = precision_[i];
    }
    std::size_t i = 0;
    for (std::size_t r = 0; r < R; ++r) {
      // np.searchsorted(rc, recThrs, side='left'); points past the last recall stay 0.
      const double threshold = params_.recall_thresholds[r];
      i = static_cast<std::size_t>(
          std::lower_bound(recall_.begin() + static_cast<std::ptrdiff_t>(i), recall_.end(),
                           threshold) -
          recall_.begin());
      const std::size_t at = (((t * R + r) * K + k) * A + a) * M + m;
      if (i < n) {
        evaluation_.precision[at] = precision_[i];
        evaluation_.scores[at] = table_.slot_score[slots_[i]];
      } else {
        evaluation_.precision[at] = 0;
        evaluation_.scores[at] = 0;
      }
    }
  }

  const MatchTable& table_;
  CocoEvaluation& evaluation_;
  const CocoParams& params_;
  std::vector<std::size_t> slots_;
  std::vector<double> recall_;
  std::vector<double> precision_;
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
