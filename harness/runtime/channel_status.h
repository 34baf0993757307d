// Copyright: the concurrency-harness authors.
//
// RecvStatus: the outcome of a receive on a Channel (see channel.h). Kept in
// its own header so that the channel cores (channel_mutex.h,
// channel_fast.h) do not depend on the handle types.
#ifndef HARNESS_RUNTIME_CHANNEL_STATUS_H_
#define HARNESS_RUNTIME_CHANNEL_STATUS_H_

namespace harness::runtime {

enum class RecvStatus {
  kOk,       // a value was received
  kEmpty,    // try_recv: nothing queued right now, senders remain
  kTimeout,  // recv_for/recv_until: the deadline passed first
  kClosed,   // every sender is gone and the queue is drained
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_CHANNEL_STATUS_H_
