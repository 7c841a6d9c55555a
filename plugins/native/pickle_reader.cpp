// SPDX-License-Identifier: Apache-2.0
// The document: the interpreter on a thread of its own when a top-level list is streamed, so that
// reading the items (on the calling thread) and interpreting the next ones overlap.
#include "pickle_reader.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "pickle_machine.hpp"

namespace ea::native::pickle {

namespace {

// The first buffer of each batch arena; a batch of 1,000 predictions needs about 2 MB.
constexpr std::size_t kBatchBuffer = std::size_t{8} << 20;

// Thrown on the interpreter's thread when the handler failed, to stop it.
struct Stopped {};

// Batches handed from the interpreter's thread to the calling one. The interpreter fills one
// arena while the items of the other are read; it switches (at a point where it holds nothing
// in the arena it leaves) only once every batch built in the other arena has been read.
class BatchHandOver final : public BatchSink {
 public:
  explicit BatchHandOver(std::array<std::pmr::monotonic_buffer_resource*, 2> arenas)
      : arenas_(arenas) {}

  // --- the interpreter's thread -------------------------------------------------------------
  void take(std::span<const Value> items, std::uint64_t first) override {
    std::unique_lock lock(mutex_);
    if (stopped_)
      throw Stopped{};
    queue_.push_back(Batch{std::vector<Value>(items.begin(), items.end()), first, current_});
    ++handed_[current_];
    lock.unlock();
    changed_.notify_all();
  }
  std::pmr::memory_resource& next_arena() override {
    const int next = 1 - current_;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return read_[next] == handed_[next] || stopped_; });
      if (stopped_)
        throw Stopped{};
    }
    arenas_[next]->release();
    current_ = next;
    return *arenas_[next];
  }
  // The interpretation ended, with `failure` if it failed.
  void finish(std::exception_ptr failure) {
    {
      const std::lock_guard lock(mutex_);
      finished_ = true;
      failure_ = std::move(failure);
    }
    changed_.notify_all();
  }

  // --- the calling thread -------------------------------------------------------------------
  // Hands every batch's items to `items` until the interpretation ends; then passes on its
  // failure, if any.
  void read(const ItemHandler& items) {
    for (;;) {
      Batch batch;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !queue_.empty() || finished_; });
        if (queue_.empty())
          break;
        batch = std::move(queue_.front());
        queue_.pop_front();
      }
      for (std::size_t i = 0; i < batch.items.size(); ++i)
        items(batch.items[i], batch.first + i);
      {
        const std::lock_guard lock(mutex_);
        ++read_[batch.arena];
      }
      changed_.notify_all();
    }
    if (failure_)
      std::rethrow_exception(failure_);
  }
  // Stops the interpreter at its next hand-over.
  void stop() {
    {
      const std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    changed_.notify_all();
  }

 private:
  struct Batch {
    std::vector<Value> items;
    std::uint64_t first = 0;
    int arena = 0;
  };

  const std::array<std::pmr::monotonic_buffer_resource*, 2> arenas_;
  int current_ = 0;  // the arena being filled; the interpreter's thread alone uses it
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;
  std::array<std::uint64_t, 2> handed_{0, 0};  // batches built in each arena
  std::array<std::uint64_t, 2> read_{0, 0};    // and read
  bool finished_ = false;
  bool stopped_ = false;
  std::exception_ptr failure_;
};

}  // namespace

Document::BatchArena::BatchArena(std::size_t size)
    : buffer(std::make_unique_for_overwrite<std::byte[]>(size)), pool(buffer.get(), size) {}

Document::Document(std::string_view data, const Policy& policy, const ItemHandler& items)
    : first_(std::min(kBatchBuffer, std::max<std::size_t>(data.size() * 4, 4096))),
      second_(items ? std::min(kBatchBuffer, std::max<std::size_t>(data.size() * 4, 4096)) : 64) {
  if (!items) {
    root_ = interpret(data, policy, lasting_, first_.pool, nullptr).root;
    return;
  }
  BatchHandOver hand_over({&first_.pool, &second_.pool});
  Interpretation result;
  std::jthread interpreter([&] {
    try {
      result = interpret(data, policy, lasting_, first_.pool, &hand_over);
      hand_over.finish(nullptr);
    } catch (const Stopped&) {
      hand_over.finish(nullptr);
    } catch (...) {
      hand_over.finish(std::current_exception());
    }
  });
  try {
    hand_over.read(items);
  } catch (...) {
    hand_over.stop();
    interpreter.join();
    throw;
  }
  interpreter.join();
  root_ = result.root;
  streamed_ = result.streamed;
}

bool looks_like_pickle(std::string_view head) {
  return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x80 &&
         static_cast<unsigned char>(head[1]) >= 2 && static_cast<unsigned char>(head[1]) <= 5;
}

}  // namespace ea::native::pickle
