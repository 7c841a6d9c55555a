// SPDX-License-Identifier: Apache-2.0
// Registration of the dark-decile example metric.
#include <ea/sdk/plugin.hpp>

#include "dark_decile.hpp"

EA_PLUGIN("dark_decile", "1.0.0") {
  registrar.add_metric(
      {"dark-decile", "Fraction of the object's box in the image's darkest decile",
       ea::sdk::MetricScope::objects, /*on_predictions=*/true, /*on_labels=*/true,
       /*needs_pixels=*/true, /*needs_labels=*/false},
      [] { return std::unique_ptr<ea::sdk::Metric>(std::make_unique<dark_decile::DarkDecile>()); });
}
