// SPDX-License-Identifier: Apache-2.0
#include "ea/core/plugin_boundary.hpp"

#include <new>

namespace ea::core {

namespace {
std::string sentence(std::string text) {
  if (!text.empty() && text.back() != '.')
    text.push_back('.');
  return text;
}
}  // namespace

void rethrow_with_context(std::string_view plugin, const std::filesystem::path& input) {
  const std::string file = input.empty() ? std::string() : input.string();
  try {
    throw;
  } catch (const Failure&) {
    throw;  // already has its context: the host's own validation, raised inside the call
  } catch (const sdk::InputError& error) {
    const std::string where = describe(error.where());
    throw Failure(sentence(file + (where.empty() ? "" : ", " + where) + ": " + error.reason()));
  } catch (const sdk::UsageError& error) {
    throw Failure(sentence(std::string(error.what())));
  } catch (const std::bad_alloc&) {
    throw Failure(sentence("plugin '" + std::string(plugin) + "' ran out of memory" +
                           (file.empty() ? "" : " reading " + file)));
  } catch (const std::exception& error) {
    throw Failure(sentence("plugin '" + std::string(plugin) + "' failed" +
                           (file.empty() ? "" : " reading " + file) + ": " + error.what()));
  } catch (...) {
    throw Failure(sentence("plugin '" + std::string(plugin) + "' failed" +
                           (file.empty() ? "" : " reading " + file) +
                           " with an exception that is not a std::exception"));
  }
}

}  // namespace ea::core
