// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <stdexcept>
#include <string>

#include "ea/sdk/export.hpp"
#include "ea/sdk/records.hpp"

namespace ea::sdk {

/// Base of every error that crosses the plugin boundary; the host adds plugin and file context.
class EA_SDK_EXPORT Error : public std::runtime_error {
 public:
  /// An error whose message is one sentence without a trailing full stop.
  explicit Error(const std::string& message);
  ~Error() override;
};

/// The input cannot be read any further (unreadable file, broken syntax).
class EA_SDK_EXPORT InputError : public Error {
 public:
  /// `reason` says what is wrong; `where` says which record, if one.
  explicit InputError(const std::string& reason, RecordLocation where = {});
  ~InputError() override;
  /// Which record failed, if any.
  const RecordLocation& where() const noexcept { return where_; }
  /// What is wrong, without location.
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string reason_;
  RecordLocation where_;
};

/// A record that is well-formed but not acceptable (unknown data_hash, box outside the image).
class EA_SDK_EXPORT InvalidRecord : public InputError {
 public:
  using InputError::InputError;
  ~InvalidRecord() override;
};

/// The user asked for something that cannot be done (a bad option value).
class EA_SDK_EXPORT UsageError : public Error {
 public:
  using Error::Error;
  ~UsageError() override;
};

}  // namespace ea::sdk
