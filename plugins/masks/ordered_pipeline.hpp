// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace ea::masks {

/// Runs `produce(worker, i)` for i = 0..count-1 on `workers` threads (worker = 0..workers-1, for
/// per-thread buffers) and hands each result to `consume(i, result)` on the calling thread, in
/// order of i. Besides the result being consumed, at most `window` are produced or held at once,
/// so memory stays bounded however many items there are. An exception from `produce`
/// reaches the caller when its item's turn comes; one from `consume` stops the workers.
template <class Result, class Produce, class Consume>
void run_in_order(std::size_t count, unsigned workers, std::size_t window, Produce produce,
                  Consume consume) {
  struct Slot {
    std::optional<Result> result;
    std::exception_ptr failure;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Slot> slots;  // slots[k] holds item first + k
  std::size_t first = 0;   // the next item to consume
  std::size_t next = 0;    // the next item to produce
  bool stop = false;

  const auto work = [&](unsigned worker) {
    std::unique_lock lock(mutex);
    for (;;) {
      changed.wait(lock, [&] { return stop || next >= count || next < first + window; });
      if (stop || next >= count)
        return;
      const std::size_t item = next++;
      lock.unlock();
      Slot slot;
      try {
        slot.result.emplace(produce(worker, item));
      } catch (...) {
        slot.failure = std::current_exception();
      }
      lock.lock();
      if (slots.size() <= item - first)
        slots.resize(item - first + 1);
      slots[item - first] = std::move(slot);
      changed.notify_all();
    }
  };

  std::vector<std::jthread> threads;
  for (unsigned i = 0; i < workers; ++i)
    threads.emplace_back(work, i);
  try {
    while (first < count) {
      Slot slot;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] {
          return !slots.empty() && (slots.front().result || slots.front().failure);
        });
        slot = std::move(slots.front());
        slots.pop_front();
        ++first;
        changed.notify_all();
      }
      if (slot.failure)
        std::rethrow_exception(slot.failure);
      consume(first - 1, std::move(*slot.result));
    }
  } catch (...) {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    throw;  // the jthreads join on the way out
  }
}

}  // namespace ea::masks
