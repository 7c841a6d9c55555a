// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <stdexcept>
#include <string>

namespace ea::core {

/// An error meant for the user: its message is one complete sentence naming what failed and why.
/// The command line prints it as it is and exits non-zero.
class Failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ea::core
