// The message_passing run over a Rust-style channel (harness/runtime/
// channel.h): each producer thread owns a copy of the Sender and drops it when
// it finishes; the calling thread receives until the channel closes (the last
// Sender gone), exactly like the articles' `for received in rx`, moving each
// message into the log.
#ifndef SCENARIOS_MESSAGE_PASSING_RUN_CHANNEL_H_
#define SCENARIOS_MESSAGE_PASSING_RUN_CHANNEL_H_

#include <optional>
#include <utility>

#include "scenarios/message_passing/scenario.h"

namespace message_passing {

// `make_channel()` returns a {Sender, Receiver} pair of Msg<P>.
template <typename P, typename MakeChannel>
Result RunOverChannel(const Params& p, Input& in, MakeChannel make_channel) {
  auto [tx, rx] = make_channel();
  Recorder<P> received(in);
  {
    auto producers = StartProducers(p, [&p, tx](int w) mutable {
      auto sender = std::move(tx);  // this producer's own copy
      Produce<P>(p, w, [&sender](Msg<P>&& m) { sender.Send(std::move(m)); });
    });          // each producer's Sender is dropped when its thread function ends
    tx.Close();  // the caller's Sender: now only the producers' keep it open
    while (auto m = rx.Recv()) received.Take(std::move(*m));
  }  // joins the producers
  return received.Finish();
}

}  // namespace message_passing

#endif  // SCENARIOS_MESSAGE_PASSING_RUN_CHANNEL_H_
