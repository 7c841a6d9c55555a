// SPDX-License-Identifier: Apache-2.0
#include "frame_scorer.hpp"

#include <algorithm>
#include <cmath>

#include "decoded_objects.hpp"
#include "ea/core/failure.hpp"

namespace ea::core::metrics {

namespace {

// Where a frame is, for messages.
std::string describe_frame(const sdk::DataUnit& unit, std::int64_t frame) {
  return "data unit \"" + unit.title + "\", frame " + std::to_string(frame);
}

// Collects one metric's values on one frame and checks each.
class ValueSink final : public sdk::MetricSink {
 public:
  ValueSink(ObjectValues& objects, std::uint64_t& count, std::vector<FrameValue>& frames,
            std::span<const sdk::MetricObject> subjects, FrameValue frame_key,
            sdk::MetricScope scope, const std::string& metric, const std::string& where)
      : scope_(scope),
        objects_(objects),
        count_(count),
        frames_(frames),
        subjects_(subjects),
        frame_key_(frame_key),
        metric_(metric),
        where_(where) {}

  void object(std::int64_t id, double value) override {
    check(value);
    if (scope_ != sdk::MetricScope::objects) {
      throw Failure("metric '" + metric_ + "' scores frames but gave a value to object " +
                    std::to_string(id) + " on " + where_ + ".");
    }
    // Subjects are in id order, and metrics mostly give values in that order: the next subject
    // is tried before a search.
    if (next_ >= subjects_.size() || subjects_[next_].id != id) {
      const auto found = std::lower_bound(
          subjects_.begin(), subjects_.end(), id,
          [](const sdk::MetricObject& object, std::int64_t key) { return object.id < key; });
      if (found == subjects_.end() || found->id != id) {
        throw Failure("metric '" + metric_ + "' gave a value to object " + std::to_string(id) +
                      ", which is not on " + where_ + ".");
      }
      next_ = static_cast<std::size_t>(found - subjects_.begin());
    }
    ++next_;
    objects_.set(id, frame_key_.metric, value);
    ++count_;
  }

  void frame(double value) override {
    check(value);
    if (scope_ != sdk::MetricScope::frames) {
      throw Failure("metric '" + metric_ + "' scores objects but gave a value to " + where_ +
                    " itself.");
    }
    FrameValue row = frame_key_;
    row.value = value;
    frames_.push_back(row);
  }

 private:
  void check(double value) const {
    if (!std::isfinite(value))
      throw Failure("metric '" + metric_ + "' gave a value that is not finite on " + where_ + ".");
  }

  sdk::MetricScope scope_;
  std::size_t next_ = 0;  // the subject after the last one given a value
  ObjectValues& objects_;
  std::uint64_t& count_;
  std::vector<FrameValue>& frames_;
  std::span<const sdk::MetricObject> subjects_;
  FrameValue frame_key_;
  const std::string& metric_;
  const std::string& where_;
};

// The frame's shared derived data: a small map, as a frame has few keys.
class MapCache final : public sdk::FrameCache {
 public:
  std::shared_ptr<const void> get(
      std::string_view key, const std::function<std::shared_ptr<const void>()>& make) override {
    for (const auto& [stored, value] : entries_) {
      if (stored == key)
        return value;
    }
    entries_.emplace_back(std::string(key), make());
    return entries_.back().second;
  }

 private:
  std::vector<std::pair<std::string, std::shared_ptr<const void>>> entries_;
};

}  // namespace

void FrameScorer::score(const sdk::DataUnit& unit, const FrameWork& work,
                        const std::optional<sdk::ImageView>& image) {
  const std::string where = describe_frame(unit, work.frame);
  const DecodedObjects labels(work.labels, snapshot_, unit);
  MapCache cache;
  sdk::FrameView view;
  view.cache = &cache;
  view.unit = &unit;
  view.frame = work.frame;
  view.labels = labels.without_crowd();
  view.image = image;
  const std::int64_t unit_id = snapshot_.row_id(unit);
  if (ground_truth_) {
    view.objects = labels.objects();
    view.predictions = false;
    run(view, values_.labels, counts_.labels, FrameValue{unit_id, work.frame, 0, 0, 0}, where,
        false);
  }
  for (std::size_t i = 0; i < sets_.size(); ++i) {
    const SetRange& set = sets_[i];
    const auto found = std::find_if(work.sets.begin(), work.sets.end(),
                                    [&](const SetObjects& s) { return s.set_id == set.id; });
    static const std::vector<StoredObject> kNone;
    const DecodedObjects predictions(found == work.sets.end() ? kNone : found->objects, snapshot_,
                                     unit);
    view.objects = predictions.objects();
    view.predictions = true;
    run(view, values_.predictions[i], counts_.predictions,
        FrameValue{unit_id, work.frame, set.id, 0, 0}, where, true);
  }
}

void FrameScorer::run(const sdk::FrameView& view, ObjectValues& objects, std::uint64_t& count,
                      FrameValue key, const std::string& where, bool predictions) {
  for (const sdk::MetricObject& object : view.objects)
    objects.mark_scored(object.id);
  for (std::uint32_t m = 0; m < metrics_.size(); ++m) {
    const sdk::MetricInfo& info = metrics_[m].registration->info;
    if ((predictions ? !info.on_predictions : !info.on_labels) ||
        (info.needs_pixels && !view.image))
      continue;
    key.metric = m;
    ValueSink sink(objects, count, frames_, view.objects, key, info.scope, info.name, where);
    // The boundary for metric code: whatever it throws fails the run with its context.
    std::string reason;
    try {
      metrics_[m].instance->compute(view, sink);
      continue;
    } catch (const Failure&) {
      throw;  // the sink's own checks, already in context
    } catch (const std::exception& error) {
      reason = error.what();
    } catch (...) {
      reason = "an exception that is not a std::exception";
    }
    if (!reason.empty() && reason.back() == '.')
      reason.pop_back();
    throw Failure("metric '" + info.name + "' (plugin '" + metrics_[m].registration->plugin +
                  "') failed on " + where + ": " + reason + ".");
  }
}

}  // namespace ea::core::metrics
