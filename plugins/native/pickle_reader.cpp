// SPDX-License-Identifier: Apache-2.0
// The document: a streamed list read in parts on two threads, each part's items turned into
// results where they were read (while they are still in that core's cache), and handed over in
// order on the calling thread.
#include "pickle_reader.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "pickle_machine.hpp"
#include "pickle_memo_scan.hpp"

namespace ea::native::pickle {

namespace {

// The first buffer of each batch arena; a batch of 1,000 predictions needs about 2 MB.
constexpr std::size_t kBatchBuffer = std::size_t{8} << 20;
// Parts are at least this long (Python's batches of 1,000 predictions are ~200 KB), so that
// handing one over costs little next to reading it.
constexpr std::size_t kPartBytes = std::size_t{256} << 10;
// Parts read ahead of the one being handed over, at most.
constexpr std::size_t kSlots = 4;
constexpr std::size_t kThreads = 2;

// Thrown on a reading thread to abandon its part.
struct Stopped {};

// An arena for one batch's values, with a first buffer it reuses after every release.
struct BatchArena {
  explicit BatchArena(std::size_t size)
      : buffer(std::make_unique_for_overwrite<std::byte[]>(size)), pool(buffer.get(), size) {}
  std::unique_ptr<std::byte[]> buffer;  // not zeroed: the arena hands it out in pieces
  Arena pool;                           // over `buffer`, then the heap
};

std::size_t batch_buffer_for(std::string_view data) {
  return std::min(kBatchBuffer, std::max<std::size_t>(data.size() * 4, 4096));
}

// The parts to read at once: from break to break, each at least kPartBytes long. One part (the
// whole file) when the memo is not numbered in order, as parts need to know which entries are
// whose.
std::vector<Part> parts_of(const MemoScan& scan) {
  std::vector<Part> parts(1);
  if (!scan.numbered_in_order)
    return parts;
  for (const ListBreak& at : scan.breaks) {
    if (at.position - parts.back().begin < kPartBytes)
      continue;
    parts.back().end = at.position;
    parts.back().end_memo_size = at.memo_size;
    parts.push_back({at.position, at.memo_size, Part::kToStop, 0, at.memo_size});
  }
  return parts;
}

std::vector<std::uint64_t> memo_starts(const std::vector<Part>& parts) {
  std::vector<std::uint64_t> starts;
  for (const Part& part : parts)
    starts.push_back(part.memo_size);
  return starts;
}

// Reads each APPENDS's items into `batch`, and hands them over at once (reading in order, on
// the calling thread) or when the part is done.
class BatchFiller final : public BatchSink {
 public:
  BatchFiller(ItemBatch& batch, BatchArena& arena, const std::atomic<bool>* stopped,
              std::uint64_t hand_over_from = kKeep)
      : batch_(batch), arena_(arena), stopped_(stopped), hand_over_from_(hand_over_from) {}
  static constexpr std::uint64_t kKeep = ~std::uint64_t{0};

  void take(std::span<const Value> items, std::uint64_t first) override {
    if (stopped_ != nullptr && stopped_->load(std::memory_order_relaxed))
      throw Stopped{};
    batch_.read(items);
    if (hand_over_from_ == kKeep)
      return;
    try {
      batch_.hand_over(hand_over_from_ + first);
    } catch (...) {  // the receiver's own error: carried past the interpreter, which would
      failure_ = std::current_exception();  // give it the position of an opcode
      throw Stopped{};
    }
  }
  // Passes on what a hand-over threw, if it did.
  void rethrow_hand_over_failure() const {
    if (failure_)
      std::rethrow_exception(failure_);
  }
  Arena& next_arena() override {
    arena_.pool.release();
    return arena_.pool;
  }

 private:
  ItemBatch& batch_;
  BatchArena& arena_;
  const std::atomic<bool>* stopped_;
  std::uint64_t hand_over_from_;
  std::exception_ptr failure_;
};

// What one reader keeps: its values referred back to, and its current batch's.
struct ReaderArenas {
  explicit ReaderArenas(std::size_t batch_size) : batch(batch_size) {}
  Arena lasting;
  BatchArena batch;
};

// Reads parts on kThreads threads and hands their results over in order.
class PartsAtOnce {
 public:
  PartsAtOnce(std::string_view data, const Policy& policy, const std::vector<Part>& parts,
              SharedMemo& memo, const BatchMaker& batches,
              std::vector<std::unique_ptr<ReaderArenas>>& readers)
      : data_(data), policy_(policy), parts_(parts), memo_(memo) {
    for (Slot& slot : slots_)
      slot.batch = batches();
    try {
      for (std::size_t i = 0; i < kThreads; ++i)
        threads_.emplace_back([this, &reader = *readers[i]] { read_parts(reader); });
    } catch (...) {  // the threads started wait for parts: end them before unwinding
      stop();
      throw;
    }
  }
  PartsAtOnce(const PartsAtOnce&) = delete;
  PartsAtOnce& operator=(const PartsAtOnce&) = delete;
  ~PartsAtOnce() { stop(); }

  // What handing over found.
  struct Outcome {
    std::size_t in_order_from = 0;  // the first part to read again in order (all: none)
    std::uint64_t streamed = 0;     // items handed over
    Value root;                     // the list, as the first part made it
  };

  // Hands every part's results over in order, until a part that cannot be taken as read.
  Outcome hand_over() {
    Outcome outcome;
    for (; outcome.in_order_from < parts_.size(); ++outcome.in_order_from) {
      const std::size_t part = outcome.in_order_from;
      Slot& slot = slots_[part % kSlots];
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return slot.part == part && slot.done; });
      }
      if (!slot.read)
        break;
      if (part == 0)
        outcome.root = slot.root;
      slot.batch->hand_over(outcome.streamed);
      outcome.streamed += slot.items;
      {
        const std::lock_guard lock(mutex_);
        slot.done = false;
        slot.free = true;
      }
      changed_.notify_all();
    }
    stop();
    return outcome;
  }

 private:
  struct Slot {
    std::unique_ptr<ItemBatch> batch;
    std::size_t part = 0;
    bool free = true;   // no part's results in it
    bool done = false;  // its part's reading ended
    bool read = false;  // and succeeded, ending as its break promised
    std::uint64_t items = 0;
    Value root;
  };

  void read_parts(ReaderArenas& reader) {
    for (;;) {
      std::size_t part = 0;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
          return stopped_ || next_ >= parts_.size() || slots_[next_ % kSlots].free;
        });
        if (stopped_ || next_ >= parts_.size())
          return;
        part = next_++;
        slots_[part % kSlots].free = false;
      }
      Slot& slot = slots_[part % kSlots];
      bool read = true;
      Interpretation result;
      try {
        BatchFiller filler(*slot.batch, reader.batch, &abandon_);
        result = interpret(data_, policy_, parts_[part],
                           Workspace{memo_, reader.lasting, reader.batch.pool, &filler});
      } catch (...) {  // read again in order, which reports what went wrong
        read = false;
      }
      reader.batch.pool.release();
      memo_.finish_part(part);
      {
        const std::lock_guard lock(mutex_);
        slot.part = part;
        slot.done = true;
        slot.read = read;
        slot.items = result.streamed;
        slot.root = result.root;
      }
      changed_.notify_all();
    }
  }

  void stop() {
    {
      const std::lock_guard lock(mutex_);
      stopped_ = true;
    }
    abandon_ = true;
    memo_.stop();
    changed_.notify_all();
    threads_.clear();  // joins
  }

  std::string_view data_;
  const Policy& policy_;
  const std::vector<Part>& parts_;
  SharedMemo& memo_;
  std::array<Slot, kSlots> slots_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t next_ = 0;  // the next part to read
  bool stopped_ = false;
  std::atomic<bool> abandon_ = false;  // parts being read stop at their next hand-over
  std::vector<std::jthread> threads_;
};

}  // namespace

// The document's values: what the reading in order builds, and what each reading thread does.
struct Document::Arenas {
  explicit Arenas(std::size_t batch_size) : in_order(batch_size) {}
  ReaderArenas in_order;
  std::vector<std::unique_ptr<ReaderArenas>> readers;
};

Document::~Document() = default;

Document::Document(std::string_view data, const Policy& policy)
    : arenas_(std::make_unique<Arenas>(batch_buffer_for(data))) {
  const MemoScan scan = scan_memo(data);
  SharedMemo memo(scan.read, {0});
  ReaderArenas& arenas = arenas_->in_order;
  root_ =
      interpret(data, policy, Part{}, Workspace{memo, arenas.lasting, arenas.batch.pool, nullptr})
          .root;
}

Document::Document(std::string_view data, const Policy& policy, const BatchMaker& batches)
    : arenas_(std::make_unique<Arenas>(batch_buffer_for(data))) {
  const MemoScan scan = scan_memo(data);
  const std::vector<Part> parts = parts_of(scan);
  SharedMemo memo(scan.read, memo_starts(parts));
  std::size_t in_order_from = 0;
  if (parts.size() > 1) {
    for (std::size_t i = 0; i < kThreads; ++i)
      arenas_->readers.push_back(std::make_unique<ReaderArenas>(batch_buffer_for(data)));
    PartsAtOnce reading(data, policy, parts, memo, batches, arenas_->readers);
    PartsAtOnce::Outcome outcome = reading.hand_over();
    in_order_from = outcome.in_order_from;
    streamed_ = outcome.streamed;
    root_ = outcome.root;
    if (in_order_from == parts.size())
      return;
  }
  // The rest of the file, in order, on this thread.
  memo.forget_from(parts[in_order_from].memo_size);
  Part rest = parts[in_order_from];
  rest.end = Part::kToStop;
  rest.shared_below = 0;
  const std::unique_ptr<ItemBatch> batch = batches();
  ReaderArenas& arenas = arenas_->in_order;
  BatchFiller filler(*batch, arenas.batch, nullptr, streamed_);
  Interpretation result;
  try {
    result =
        interpret(data, policy, rest, Workspace{memo, arenas.lasting, arenas.batch.pool, &filler});
  } catch (const Stopped&) {
    filler.rethrow_hand_over_failure();
    throw;
  }
  streamed_ += result.streamed;
  if (in_order_from == 0)
    root_ = result.root;
}

bool looks_like_pickle(std::string_view head) {
  return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x80 &&
         static_cast<unsigned char>(head[1]) >= 2 && static_cast<unsigned char>(head[1]) <= 5;
}

}  // namespace ea::native::pickle
