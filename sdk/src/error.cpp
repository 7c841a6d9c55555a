// SPDX-License-Identifier: Apache-2.0
// Out-of-line destructors give every SDK exception one type_info, in libea_sdk, so a plugin's
// throw is caught by the host's catch.
#include "ea/sdk/error.hpp"

namespace ea::sdk {

Error::Error(const std::string& message) : std::runtime_error(message) {}
Error::~Error() = default;

InputError::InputError(const std::string& reason, RecordLocation where)
    : Error(where.kind == RecordLocation::Kind::whole_file ? reason
                                                           : describe(where) + ": " + reason),
      reason_(reason),
      where_(where) {}
InputError::~InputError() = default;

InvalidRecord::~InvalidRecord() = default;
UsageError::~UsageError() = default;

}  // namespace ea::sdk
