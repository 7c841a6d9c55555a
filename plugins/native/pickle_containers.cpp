// SPDX-License-Identifier: Apache-2.0
#include "pickle_containers.hpp"

#include <fmt/format.h>

namespace ea::native::pickle {

Value Containers::pin(const Value& value) {
  if (auto* const* list = std::get_if<List*>(&value.content); list != nullptr && !(*list)->pinned) {
    List* copy = make<List>(true);
    copy->depth = (*list)->depth;
    copy->nested = (*list)->nested;
    for (const Value& item : (*list)->items)
      copy->items.push_back(pin(item));
    return Value{copy};
  }
  if (auto* const* dict = std::get_if<Dict*>(&value.content); dict != nullptr && !(*dict)->pinned) {
    Dict* copy = make<Dict>(true);
    copy->depth = (*dict)->depth;
    copy->nested = (*dict)->nested;
    for (const auto& [key, item] : (*dict)->items)
      copy->items.emplace_back(pin(key), pin(item));
    return Value{copy};
  }
  if (auto* const* object = std::get_if<Object*>(&value.content);
      object != nullptr && !(*object)->pinned) {
    Object* copy = make<Object>(true);
    copy->type = (*object)->type;
    copy->depth = (*object)->depth;
    copy->nested = (*object)->nested;
    for (const Value& argument : (*object)->arguments)
      copy->arguments.push_back(pin(argument));
    copy->state = pin((*object)->state);
    return Value{copy};
  }
  return value;
}

void Containers::too_deep() {
  throw sdk::InputError(fmt::format("the pickle nests values more than {} levels deep", kMaxDepth));
}

}  // namespace ea::native::pickle
