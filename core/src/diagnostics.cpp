// SPDX-License-Identifier: Apache-2.0
#include "ea/core/diagnostics.hpp"

#include <ostream>

namespace ea::core {

void Diagnostics::warn(const std::string& message) {
  warnings_.push_back(message);
  *out_ << "warning: " << message << '\n';
}

void Diagnostics::debug(const std::string& message) {
  if (verbose_)
    *out_ << "debug: " << message << '\n';
}

}  // namespace ea::core
