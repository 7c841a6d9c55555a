// SPDX-License-Identifier: Apache-2.0
#pragma once

/// Marks an SDK type or function as visible across shared-library boundaries: type information of
/// interfaces and exceptions must exist once, in libea_sdk, or catch and dynamic_cast fail.
#define EA_SDK_EXPORT __attribute__((visibility("default")))
