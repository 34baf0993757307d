// Copyright: the concurrency-harness authors.
//
// FastChannelCore<T>: the fast channel core (see channel.h for the handle
// API, `Channel<T>`). Senders append to a lock-free multi-producer linked list
// of blocks of kBlockSlots slots (the layout of crossbeam's list channel): a
// sender claims a slot with one CAS on the tail index, writes the value in
// place and publishes it by setting the slot's ready flag. The one receiver
// reads slots in order without any read-modify-write and frees each block
// once it has consumed it. One allocation per kBlockSlots messages.
//
// Waiting: the receiver spins briefly (kRecvBackoff, or kBoundedRecvBackoff
// for a bounded channel: backoff.h), then parks on a futex word
// (`rx_parked_`); a sender that publishes a value while the receiver is parked
// wakes it. Bounded channels: the receiver publishes how many slots it has
// consumed (`released_`, a single-writer counter) and a sender claims a slot
// only while (slots claimed before it) - released < capacity: the check and
// the claim are the one tail CAS every send makes anyway (crossbeam's array
// flavour likewise reads the head only when the ring looks full), so a send
// makes no read-modify-write on a line the receiver writes. Senders keep the
// last `released_` value they read in `released_seen_` (on their own cache
// line) and re-read `released_` only when the channel looks full from it. A
// sender that finds the channel full waits (kSendBackoff), then parks on
// `space_epoch_`. The receiver publishes its consumed count in small batches
// (capacity/64, at most 32, and all of it whenever it finds the channel
// empty) and wakes the parked senders on every published batch while senders
// are parked (waking them only past half the capacity starved a sender whose
// receiver stopped after a few receives: issue 10, item 5). So while the
// receiver is busy, senders may block up to one batch (< 1/64 of the
// capacity) before the channel is completely full. A capacity above
// INT64_MAX is clamped to it. (Before issue 13 the free places were a counting
// semaphore that every send decremented with a CAS, on the line the receiver
// incremented: that CAS was 3/4 of a bounded sender's time.)
//
// A throwing move: if T's move constructor throws after a sender claimed a
// slot, the sender marks the slot skipped (kSkipped) and rethrows; the
// receiver steps over it (counting it as consumed), so later values and the
// close are still delivered (issue 10, item 3).
//
// A sender stopped mid-write (linearizability; found by harness/lincheck):
// the head slot may be claimed (tail CAS done) but not yet published while a
// later slot already holds the value of a send that has returned. Reporting
// "empty" (TryRecv) or "timeout" (RecvUntil at its deadline) then would not be
// linearizable: that send completed before the receive began. So when the
// head slot is not ready (TryRecv's slow path, and RecvUntil once its short
// spin on the head slot is over; the fast path reads the head slot alone, as
// before) the receiver loads the tail index (acquire) and
// scans from the head up to it, through the head block and the blocks linked
// after it, for the first ready slot; it takes that value out of order, marks
// the slot taken (kTaken: consumed, holds no value) and counts it as
// consumed, as Pop does. The head stays on the first slot not yet consumed, so a block is
// freed only when every slot in it has been consumed, and the scan only walks
// blocks that the receiver itself has not freed yet. The receiver reports
// empty (or timeout, or closed) only if no slot before the loaded tail is
// ready. Why this is linearizable:
//   - Per-producer FIFO (and more: if send a returned before send b began, a
//     is received first). a claimed a lower index than b and published it
//     before b's tail CAS; the receiver's acquire load of the tail that
//     covers b's index happens after that CAS, and every slot state is read
//     after that load, so a's slot reads ready (or already taken) and is
//     found first. A producer's sends are sequential, so its values arrive
//     in its order. The slots the scan steps over unconsumed all belong to
//     sends still in progress, which may take effect after the one taken.
//   - Empty / timeout / closed: every send that returned before the receive
//     began claimed an index below the loaded tail and published it before
//     that load, so the scan sees it unless it was already received.
// Cost: only while a sender is stopped mid-write, each receive walks the
// slots claimed after the stopped one (taken ones included) until the head
// can move on; memory is freed only once the head passes. A stopped sender
// no longer holds up the senders of a bounded channel beyond its own place.
//
// Memory ordering: a slot's value is written before its ready flag is set
// (release) and read after the flag is seen (acquire), so the receiver sees a
// fully constructed value. The park/wake hand-shakes are Dekker-style: the
// parking side stores its "parked" flag and then re-checks the condition, the
// waking side makes the condition true and then checks the flag, all with
// sequentially consistent operations, so at least one of them sees the other
// and no wake-up is lost (a bounded sender: senders_parked_, then
// space_epoch_, then released_; the receiver: released_, then
// senders_parked_, then space_epoch_). A sender's capacity check reads
// released_ with acquire; released_ only grows, so a stale value only makes
// the channel look fuller than it is (released_seen_ holds values read from
// released_, so it is never ahead of it either): the claimed count never
// exceeds released + capacity. For the receiver the condition is the tail index
// (a sender's slot-claiming CAS), not the ready flag, so publishing a value
// is a plain release store; a receiver that finds a claimed slot not yet
// published (and no ready one behind it) waits (yielding, up to its
// deadline) instead of parking. The close (last sender gone) is published
// after every sender's last send (acq_rel decrements of `senders_`), so a
// receiver that sees it and then finds the queue empty has received
// everything. The sender that claims a block's last slot links the next block
// (release) before it moves the tail index into that block (release), so a
// receiver whose acquire load of the tail index lands in a later block finds
// every `next` pointer up to it set (the tail CASes are seq_cst
// read-modify-writes, so later senders' tail values carry that ordering on).
// Only the receiver writes a slot state after it is published (kReady ->
// kTaken) and only the receiver reads it after that, so that write is a
// relaxed store; a sender never touches a slot again once it has published
// it, and a block is recycled (spare_block_, acq_rel) only after the receiver
// has freed it.
#ifndef HARNESS_RUNTIME_CHANNEL_FAST_H_
#define HARNESS_RUNTIME_CHANNEL_FAST_H_

#include <atomic>
#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "harness/runtime/backoff.h"
#include "harness/runtime/channel_status.h"
#include "harness/runtime/injection.h"
#include "harness/runtime/park.h"

namespace harness::runtime {

template <typename T>
class FastChannelCore {
 public:
  // capacity == 0: unbounded.
  explicit FastChannelCore(size_t capacity)
      : bounded_(capacity != 0),
        capacity_(static_cast<uint64_t>(ClampCapacity(capacity))),
        wake_threshold_(capacity_ / 2 > 0 ? capacity_ / 2 : 1),
        release_batch_(capacity / 64 > 32  ? 32
                       : capacity / 64 > 0 ? static_cast<int64_t>(capacity / 64)
                                           : 1) {
    Block* first = new Block;
    head_block_ = first;
    tail_block_.store(first, std::memory_order_relaxed);
  }
  FastChannelCore(const FastChannelCore&) = delete;
  FastChannelCore& operator=(const FastChannelCore&) = delete;

  // Runs when every handle is gone: destroys undelivered values.
  ~FastChannelCore() {
    DiscardAll();
    delete spare_block_.load(std::memory_order_acquire);
    Block* b = head_block_;
    while (b != nullptr) {
      Block* next = b->next.load(std::memory_order_acquire);
      delete b;
      b = next;
    }
  }

  void AddSender() { senders_.fetch_add(1, std::memory_order_relaxed); }

  void DropSender() {
    if (senders_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      closed_.store(true, std::memory_order_seq_cst);
      inject::At(inject::Point::kChannelClose);
      WakeReceiver();
    }
  }

  void DropReceiver() {
    receiver_alive_.store(false, std::memory_order_seq_cst);
    if (bounded_) {
      space_epoch_.fetch_add(1, std::memory_order_seq_cst);
      FutexWakeAll(&space_epoch_);
    }
    DiscardAll();
  }

  // Returns false (leaving `value` untouched) if the receiver is gone.
  bool Send(T& value) {
    if (!receiver_alive_.load(std::memory_order_acquire)) return false;
    if (!Push(value)) return false;
    inject::At(inject::Point::kChannelPublished);
    WakeReceiver();
    return true;
  }

  RecvStatus TryRecv(std::optional<T>& out) {
    if (Pop(out, std::memory_order_acquire)) [[likely]]
      return RecvStatus::kOk;
    return TryRecvSlow(out);
  }

  RecvStatus RecvUntil(std::optional<T>& out, std::chrono::steady_clock::time_point deadline) {
    // Exponential backoff (kRecvBackoff; bounded: kBoundedRecvBackoff):
    // polling the slot a sender is writing steals its cache line; waiting
    // longer lets it publish several values.
    Backoff backoff(bounded_ ? kBoundedRecvBackoff : kRecvBackoff);
    for (;;) {
      RecvStatus s = backoff.Spinning() ? PollHead(out) : TryRecv(out);
      if (s != RecvStatus::kEmpty) return s;
      if (!backoff.IsCompleted()) {
        backoff.Snooze();
        continue;
      }
      // Park. Dekker with Send(): the receiver stores its flag, then reads
      // the tail index; a sender claims its slot (CAS on the tail index),
      // then reads the flag. A claimed slot that is not yet published means
      // a sender is mid-write: wait for it without parking, but not past the
      // deadline. Dekker with DropSender() likewise: the flag, then closed_.
      inject::At(inject::Point::kChannelRecvPark);
      rx_parked_.store(1, std::memory_order_seq_cst);
      if (Pop(out, std::memory_order_acquire)) {
        rx_parked_.store(0, std::memory_order_relaxed);
        return RecvStatus::kOk;
      }
      inject::At(inject::Point::kChannelRecvParked);
      if (tail_index_.load(std::memory_order_seq_cst) != head_index_) {
        rx_parked_.store(0, std::memory_order_relaxed);
        if (deadline != std::chrono::steady_clock::time_point::max() &&
            !inject::FaultOn(inject::Fault::kChannelDeadlineIgnoredMidWrite) &&
            std::chrono::steady_clock::now() >= deadline) {
          // TryRecv scans past the unpublished slot: kTimeout only if no
          // completed send is waiting behind it.
          s = TryRecv(out);
          return s == RecvStatus::kEmpty ? RecvStatus::kTimeout : s;
        }
        std::this_thread::yield();
        continue;
      }
      if (!inject::FaultOn(inject::Fault::kChannelParkWithoutClosedRecheck) &&
          closed_.load(std::memory_order_seq_cst)) {
        rx_parked_.store(0, std::memory_order_relaxed);
        return TakeFirstReady(out) ? RecvStatus::kOk : RecvStatus::kClosed;
      }
      const bool in_time = FutexWaitUntil(&rx_parked_, 1, deadline);
      rx_parked_.store(0, std::memory_order_relaxed);
      if (!in_time) {
        s = TryRecv(out);
        return s == RecvStatus::kEmpty ? RecvStatus::kTimeout : s;
      }
      backoff.SkipSpinning();  // woken: re-check, then a few yields before parking again
    }
  }

 private:
  static constexpr uint64_t kLap = 64;
  static constexpr uint64_t kBlockSlots = kLap - 1;  // offset kBlockSlots: "installing next block"
  // Slot states (Slot::ready).
  static constexpr uint32_t kEmptySlot = 0;
  static constexpr uint32_t kReady = 1;
  static constexpr uint32_t kSkipped = 2;  // its sender's move threw
  static constexpr uint32_t kTaken = 3;    // received out of order (no value left)

  static int64_t ClampCapacity(size_t capacity) {
    constexpr size_t kMax = static_cast<size_t>(std::numeric_limits<int64_t>::max());
    return static_cast<int64_t>(capacity > kMax ? kMax : capacity);
  }

  struct Slot {
    std::atomic<uint32_t> ready{0};
    alignas(T) unsigned char storage[sizeof(T)];
    T* value() { return std::launder(reinterpret_cast<T*>(storage)); }
  };
  struct Block {
    std::atomic<Block*> next{nullptr};
    Slot slots[kBlockSlots];
  };

  // The number of slots before `index` (offset kBlockSlots is never a slot).
  static uint64_t SlotCount(uint64_t index) { return index / kLap * kBlockSlots + index % kLap; }

  // Bounded: true if a sender may claim the slot at `tail` (fewer than
  // capacity_ slots claimed and not yet consumed). Reads released_ only when
  // the last value seen says full.
  bool HasRoom(uint64_t tail) {
    const uint64_t claimed = SlotCount(tail);
    if (claimed - released_seen_.load(std::memory_order_relaxed) < capacity_) return true;
    const uint64_t released = released_.load(std::memory_order_acquire);
    released_seen_.store(released, std::memory_order_relaxed);
    return claimed - released < capacity_;
  }

  // Claims a slot (bounded: waiting while the channel is full), moves the
  // value in and publishes it. Returns false (value untouched) if the
  // receiver went away while a bounded sender waited for room.
  bool Push(T& value) {
    uint64_t tail = tail_index_.load(std::memory_order_acquire);
    Block* block = tail_block_.load(std::memory_order_acquire);
    Block* next_block = nullptr;
    Backoff backoff(kLinkBackoff);
    Backoff space_backoff(kSendBackoff);
    for (;;) {
      const uint64_t offset = tail % kLap;
      if (offset == kBlockSlots) {
        // Another sender is installing the next block; wait for it.
        backoff.Snooze();
        tail = tail_index_.load(std::memory_order_acquire);
        block = tail_block_.load(std::memory_order_acquire);
        continue;
      }
      if (bounded_ && !HasRoom(tail)) {
        if (!WaitForRoom(space_backoff)) {
          if (next_block != nullptr) FreeBlock(next_block);
          return false;
        }
        tail = tail_index_.load(std::memory_order_acquire);
        block = tail_block_.load(std::memory_order_acquire);
        continue;
      }
      // Allocate the next block before taking the last slot, so the window in
      // which other senders wait is short.
      if (offset + 1 == kBlockSlots && next_block == nullptr) {
        next_block = NewBlock();
      }
      if (tail_index_.compare_exchange_weak(tail, tail + 1, std::memory_order_seq_cst,
                                            std::memory_order_acquire)) {
        if (offset + 1 == kBlockSlots) {
          // Link the block before the tail index enters it: a receiver that
          // scans up to the tail (TakeFirstReady) follows `next`.
          tail_block_.store(next_block, std::memory_order_release);
          block->next.store(next_block, std::memory_order_release);
          tail_index_.store(tail + 2, std::memory_order_release);
          next_block = nullptr;
        }
        Slot& slot = block->slots[offset];
        inject::At(inject::Point::kChannelSlotClaimed);
        if constexpr (std::is_nothrow_move_constructible_v<T>) {
          ::new (static_cast<void*>(slot.storage)) T(std::move(value));
        } else {
          try {
            ::new (static_cast<void*>(slot.storage)) T(std::move(value));
          } catch (...) {
            // The slot is claimed: publish it as skipped so the receiver can
            // step over it (the seeded fault leaves it unpublished forever).
            if (!inject::FaultOn(inject::Fault::kChannelSlotUnpublishedOnThrow)) {
              slot.ready.store(kSkipped, std::memory_order_release);
            }
            if (next_block != nullptr) FreeBlock(next_block);
            throw;
          }
        }
        slot.ready.store(kReady, std::memory_order_release);
        if (next_block != nullptr) FreeBlock(next_block);  // another sender took the slot
        return true;
      }
      block = tail_block_.load(std::memory_order_acquire);
    }
  }

  // A one-block cache between the receiver (which frees blocks) and the
  // senders (which allocate them): saves a malloc/free pair per block in the
  // steady state.
  Block* NewBlock() {
    Block* b = spare_block_.exchange(nullptr, std::memory_order_acquire);
    if (b == nullptr) return new Block;
    b->next.store(nullptr, std::memory_order_relaxed);
    for (Slot& s : b->slots) s.ready.store(0, std::memory_order_relaxed);
    return b;
  }
  void FreeBlock(Block* b) {
    Block* old = spare_block_.exchange(b, std::memory_order_acq_rel);
    delete old;
  }

  // Receiver side only. Takes the value in the head slot if it is ready,
  // stepping over consumed slots (skipped, or taken out of order) first.
  bool Pop(std::optional<T>& out, std::memory_order order) {
    for (;;) {
      const uint64_t offset = head_index_ % kLap;
      Slot& slot = head_block_->slots[offset];
      const uint32_t state = slot.ready.load(order);
      if (state == kReady) [[likely]] {
        T* v = slot.value();
        out.emplace(std::move(*v));
        v->~T();
        Advance(offset);
        if (bounded_ && ++unreleased_ >= release_batch_) FlushPermits();
        return true;
      }
      if (state == kEmptySlot) return false;
      Advance(offset);  // a skipped or taken slot holds no value: step over it
      // A taken slot was counted as consumed when it was taken.
      if (bounded_ && state == kSkipped && ++unreleased_ >= release_batch_) FlushPermits();
    }
  }

  // RecvUntil's spin phase: the head slot only, as TryRecv before the scan
  // existed, so that a receiver polling the slot a sender is about to publish
  // does not also pull the tail index's cache line away from the senders
  // (half the single-producer throughput in channel_benchmark). Its kEmpty
  // is never reported: RecvUntil goes on to TryRecv (which scans) before it
  // yields, parks or times out.
  RecvStatus PollHead(std::optional<T>& out) {
    if (Pop(out, std::memory_order_acquire)) [[likely]]
      return RecvStatus::kOk;
    FlushPermits();
    if (closed_.load(std::memory_order_acquire)) {
      return TakeFirstReady(out) ? RecvStatus::kOk : RecvStatus::kClosed;
    }
    return RecvStatus::kEmpty;
  }

  // TryRecv when the head slot is not ready.
  [[gnu::noinline]] RecvStatus TryRecvSlow(std::optional<T>& out) {
    if (TakeFirstReady(out)) return RecvStatus::kOk;
    FlushPermits();  // about to report empty (and maybe park): give back all
    if (closed_.load(std::memory_order_acquire)) {
      return TakeFirstReady(out) ? RecvStatus::kOk : RecvStatus::kClosed;
    }
    return RecvStatus::kEmpty;
  }

  // Receiver side only: takes the value of the first ready slot before the
  // tail index, in the head slot (Pop) or, if a sender has claimed the head
  // slot but not yet published it, out of order (see the header comment).
  // Every slot state is read after the tail index (acquire loads).
  bool TakeFirstReady(std::optional<T>& out) {
    const uint64_t tail = tail_index_.load(std::memory_order_acquire);
    if (Pop(out, std::memory_order_acquire)) return true;
    // Pop may have stepped over slots claimed after `tail` was loaded.
    uint64_t index = head_index_;
    Block* block = head_block_;
    for (;;) {
      // Step to the next slot; the last slot of a block is followed by slot 0
      // of the next block, two indices on (offset kBlockSlots is never a
      // slot). Indices only grow (64 bits do not wrap).
      if (index % kLap + 1 == kBlockSlots) {
        index += 2;
        if (index >= tail) return false;
        // The tail index is past this block, so `next` was linked before it
        // got there (Push) and is visible after the acquire load of `tail`.
        block = block->next.load(std::memory_order_acquire);
        assert(block != nullptr);
      } else {
        index += 1;
        if (index >= tail) return false;
      }
      Slot& slot = block->slots[index % kLap];
      if (slot.ready.load(std::memory_order_acquire) != kReady) continue;
      T* v = slot.value();
      out.emplace(std::move(*v));
      v->~T();
      // Only this thread reads the state of a published slot (see the header).
      slot.ready.store(kTaken, std::memory_order_relaxed);
      if (bounded_ && ++unreleased_ >= release_batch_) FlushPermits();
      return true;
    }
  }

  void Advance(uint64_t offset) {
    if (offset + 1 == kBlockSlots) {
      // The sender of the last slot linked the next block before publishing
      // the slot, so `next` is set.
      Block* next = head_block_->next.load(std::memory_order_acquire);
      FreeBlock(head_block_);
      head_block_ = next;
      head_index_ += 2;
    } else {
      head_index_ += 1;
    }
  }

  // Destroys every value published so far (receiver side or destructor) up
  // to the first slot still being written (values behind one are destroyed
  // by the destructor, when every sender is gone).
  void DiscardAll() {
    for (;;) {
      const uint64_t offset = head_index_ % kLap;
      Slot& slot = head_block_->slots[offset];
      const uint32_t state = slot.ready.load(std::memory_order_acquire);
      if (state == kEmptySlot) return;
      if (state == kReady) slot.value()->~T();
      Advance(offset);
    }
  }

  void WakeReceiver() {
    if (rx_parked_.load(std::memory_order_seq_cst) != 0 &&
        rx_parked_.exchange(0, std::memory_order_seq_cst) != 0) {
      FutexWake(&rx_parked_, 1);
    }
  }

  // A bounded sender that found the channel full: one backoff step, or
  // (once the backoff is over) a park until the receiver publishes consumed
  // slots. Dekker with FlushPermits: senders_parked_ then released_ (through
  // HasRoom's re-read), against released_ then senders_parked_. Returns false
  // if the receiver is gone.
  bool WaitForRoom(Backoff& backoff) {
    if (!receiver_alive_.load(std::memory_order_acquire)) return false;
    if (!backoff.IsCompleted()) {
      backoff.Snooze();
      return true;
    }
    senders_parked_.fetch_add(1, std::memory_order_seq_cst);
    const uint32_t epoch = space_epoch_.load(std::memory_order_seq_cst);
    const uint64_t claimed = SlotCount(tail_index_.load(std::memory_order_seq_cst));
    if (claimed - released_.load(std::memory_order_seq_cst) >= capacity_ &&
        receiver_alive_.load(std::memory_order_seq_cst)) {
      inject::At(inject::Point::kChannelSendPark);
      FutexWait(&space_epoch_, epoch);
    }
    senders_parked_.fetch_sub(1, std::memory_order_relaxed);
    backoff.SkipSpinning();
    return receiver_alive_.load(std::memory_order_acquire);
  }

  // The receiver publishes the slots it consumed in batches of
  // release_batch_ (and whenever it finds the channel empty), so senders and
  // the receiver do not bounce released_'s cache line on every message.
  // Parked senders are woken on every published batch while a sender is
  // parked (a sender parks only after seeing the channel full), at most one
  // system call per batch. The seeded fault kChannelSendersWokenPastHalf
  // wakes them only when the batch makes the free places cross half the
  // capacity (issue 10, item 5).
  void FlushPermits() {
    if (unreleased_ == 0) return;
    const uint64_t n = static_cast<uint64_t>(unreleased_);
    unreleased_ = 0;
    const uint64_t before = released_local_;
    released_local_ += n;
    // The only writer: a store, not a read-modify-write.
    released_.store(released_local_, std::memory_order_seq_cst);
    inject::At(inject::Point::kChannelPermitRelease);
    if (senders_parked_.load(std::memory_order_seq_cst) == 0) return;
    if (inject::FaultOn(inject::Fault::kChannelSendersWokenPastHalf)) {
      const uint64_t claimed = SlotCount(tail_index_.load(std::memory_order_seq_cst));
      const uint64_t free_before = capacity_ - (claimed - before);
      if (!(free_before < wake_threshold_ && free_before + n >= wake_threshold_)) return;
    }
    space_epoch_.fetch_add(1, std::memory_order_seq_cst);
    FutexWakeAll(&space_epoch_);
  }

  const bool bounded_;
  const uint64_t capacity_;  // bounded: clamped to INT64_MAX
  const uint64_t wake_threshold_;
  const int64_t release_batch_;

  // Sender side.
  alignas(64) std::atomic<uint64_t> tail_index_{0};
  std::atomic<Block*> tail_block_{nullptr};
  std::atomic<int64_t> senders_{1};
  // Bounded: a value of released_ that some sender read (relaxed: any value
  // it holds is at most the current released_).
  std::atomic<uint64_t> released_seen_{0};

  // Read-mostly flags.
  alignas(64) std::atomic<bool> closed_{false};
  std::atomic<bool> receiver_alive_{true};

  // Bounded channels: slots the receiver has consumed (written by the
  // receiver only, in batches) and parked senders.
  alignas(64) std::atomic<uint64_t> released_{0};
  std::atomic<uint32_t> senders_parked_{0};
  std::atomic<uint32_t> space_epoch_{0};

  alignas(64) std::atomic<uint32_t> rx_parked_{0};
  std::atomic<Block*> spare_block_{nullptr};

  // Receiver side (touched only by the receiver, or the destructor).
  alignas(64) uint64_t head_index_ = 0;
  Block* head_block_ = nullptr;
  int64_t unreleased_ = 0;       // consumed but not yet published in released_
  uint64_t released_local_ = 0;  // the receiver's copy of released_
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_CHANNEL_FAST_H_
