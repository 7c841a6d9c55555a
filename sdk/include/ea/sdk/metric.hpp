// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ea/sdk/export.hpp"

namespace ea::sdk {

/// A quality metric over predictions, labels or frames. Reserved: the compute interface arrives
/// with the metrics work, in a later ABI version; the registrar already accepts the kind.
class EA_SDK_EXPORT Metric {
 public:
  virtual ~Metric();
};

}  // namespace ea::sdk
