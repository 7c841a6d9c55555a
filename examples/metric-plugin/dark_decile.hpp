// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ea/sdk/metric.hpp>

namespace dark_decile {

/// The fraction of an object's box that lies in its image's darkest decile: the pixels whose luma
/// (0.299 R + 0.587 G + 0.114 B) is at most the image's 10th percentile. Objects hidden in shadow
/// score high.
class DarkDecile final : public ea::sdk::Metric {
 public:
  void compute(const ea::sdk::FrameView& frame, ea::sdk::MetricSink& sink) const override;
};

}  // namespace dark_decile
