// Copyright: the concurrency-harness authors.
//
// Actor<State>: an object that owns `State` and a mailbox, and handles one
// message at a time (the role actix plays in Rust).
//
//   struct Counter { int n = 0; int Handle(Add a) { return n += a.k; } };
//   ThreadPool pool(4);
//   PoolExecutor ex(pool);
//   Actor<Counter> a(ex);                        // multiplexed on the pool
//   Actor<Counter> b(kOwnThread);                // on its own thread
//   a.Tell(Add{1});                              // fire and forget
//   Reply<int> r = a.Ask(Add{2});                // request / response
//   int v = r.Get();                             // block, or: co_await r
//   a.Ask([](Counter& c) { return c.n; });       // closures work too
//
// Messages: a message is either a callable taking `State&` (called with the
// state), or any other value `m`, handled by `state.Handle(std::move(m))`.
// Tell(m) returns false if the actor is stopped. Ask(m) returns a Reply<R>
// with R the handler's return type (void allowed).
//
// Execution: messages are handled in the order they were accepted from one
// sender, never two at once. On an executor, the actor is scheduled as one
// job whenever its mailbox becomes non-empty; the job handles up to
// kBatch messages and re-queues itself (behind other work) if more remain.
// With kOwnThread the actor owns a ThreadExecutor (one thread).
//
// Errors: an exception thrown while handling an Ask is delivered to the
// asker (Reply::Get / co_await rethrows it); an exception escaping a Tell
// handler calls std::terminate.
//
// A throwing executor: if the executor's Execute throws while a Tell/Ask
// schedules the actor, the exception propagates out of that Tell/Ask, its
// message is not accepted (destroyed unhandled), and the actor is left
// unscheduled (the next Tell/Ask schedules it again; before, `scheduled_`
// stayed true and Stop() hung: issue 10, item 5). Messages other threads
// queued meanwhile are handled on that next schedule, or, if Stop() comes
// first, rejected by it (an Ask's reply throws ActorStopped).
//
// Injection points (injection.h): actor.schedule, actor.idle, actor.requeue,
// reply.complete.
//
// Stop: Stop() (and the destructor) DRAINS: it stops accepting messages (Tell
// returns false, Ask returns a Reply that throws ActorStopped), then waits
// until every message accepted before it has been handled. It must not be
// called from inside one of the actor's own handlers, and not from the only
// thread of the executor the actor runs on.
//
// Reply<R>: Get() blocks until the reply is ready and returns it (once);
// `co_await reply` suspends the coroutine instead and resumes it on
// the executor given to ResumeOn(ex) (default: the actor's executor), or
// inline on the actor's thread with ResumeOn(nullptr).
//
// Memory ordering: the mailbox is guarded by a mutex, so everything a sender
// wrote before Tell/Ask is visible to the handler; a reply is published under
// the reply's mutex, so everything the handler wrote is visible to the asker
// after Get() / co_await returns (Get() also waits on a Notification set after the
// reply is stored: release/acquire). Handlers of one actor are ordered by the
// mailbox mutex (each sees the previous handler's writes to State).
#ifndef HARNESS_RUNTIME_ACTOR_H_
#define HARNESS_RUNTIME_ACTOR_H_

#include <coroutine>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "harness/runtime/annotated_mutex.h"
#include "harness/runtime/executor.h"
#include "harness/runtime/injection.h"
#include "harness/runtime/job.h"
#include "harness/runtime/notification.h"

namespace harness::runtime {

// Thrown by Reply::Get / co_await when the actor was stopped before the ask.
class ActorStopped : public std::runtime_error {
 public:
  ActorStopped() : std::runtime_error("actor stopped") {}
};

struct OwnThread {};
inline constexpr OwnThread kOwnThread{};

namespace actor_internal {

template <typename R>
struct ReplyState {
  Mutex mu;
  Notification done;  // set after `ready`; Get() waits on it (spins, then parks)
  bool ready ABSL_GUARDED_BY(mu) = false;
  std::optional<std::conditional_t<std::is_void_v<R>, char, R>> value ABSL_GUARDED_BY(mu);
  std::exception_ptr error ABSL_GUARDED_BY(mu);
  std::coroutine_handle<> waiter ABSL_GUARDED_BY(mu);
  Executor* resume_on ABSL_GUARDED_BY(mu) = nullptr;

  using Value = std::conditional_t<std::is_void_v<R>, char, R>;

  void SetValue(Value v) { Complete(std::move(v), nullptr); }
  void SetError(std::exception_ptr e) { Complete(std::nullopt, std::move(e)); }

 private:
  void Complete(std::optional<Value> v, std::exception_ptr e) {
    std::coroutine_handle<> h;
    Executor* ex;
    {
      MutexLock l(&mu);
      value = std::move(v);
      error = std::move(e);
      ready = true;
      h = waiter;
      ex = resume_on;
    }
    done.Set();
    if (h) {
      inject::At(inject::Point::kReplyComplete);
      if (ex != nullptr) {
        ex->Resume(h);
      } else {
        h.resume();
      }
    }
  }
};

}  // namespace actor_internal

template <typename R>
class [[nodiscard]] Reply {
 public:
  Reply(Reply&&) noexcept = default;
  Reply& operator=(Reply&&) noexcept = default;

  bool ready() const {
    MutexLock l(&state_->mu);
    return state_->ready;
  }

  // Blocks until the reply arrives; returns it or rethrows the handler's
  // exception. Call at most once.
  R Get() {
    state_->done.Wait();
    MutexLock l(&state_->mu);
    return TakeLocked();
  }

  // Where a coroutine awaiting this reply resumes (nullptr: inline).
  Reply& ResumeOn(Executor* ex) {
    MutexLock l(&state_->mu);
    state_->resume_on = ex;
    return *this;
  }

  auto operator co_await() && { return MakeAwaiter(); }
  auto operator co_await() & { return MakeAwaiter(); }

 private:
  template <typename>
  friend class Actor;
  explicit Reply(std::shared_ptr<actor_internal::ReplyState<R>> s) : state_(std::move(s)) {}

  auto MakeAwaiter() {
    struct Awaiter {
      Reply* reply;
      bool await_ready() const { return reply->ready(); }
      bool await_suspend(std::coroutine_handle<> h) {
        auto& s = *reply->state_;
        MutexLock l(&s.mu);
        if (s.ready) return false;
        s.waiter = h;
        return true;
      }
      R await_resume() {
        MutexLock l(&reply->state_->mu);
        return reply->TakeLocked();
      }
    };
    return Awaiter{this};
  }

  R TakeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu) {
    if (state_->error) std::rethrow_exception(state_->error);
    if constexpr (!std::is_void_v<R>) return std::move(*state_->value);
  }

  std::shared_ptr<actor_internal::ReplyState<R>> state_;
};

template <typename State>
class Actor {
 public:
  // Runs on `ex` (multiplexed with other work).
  template <typename... Args>
  explicit Actor(Executor& ex, Args&&... args) : state_(std::forward<Args>(args)...), ex_(&ex) {}

  // Runs on a thread of its own.
  template <typename... Args>
  explicit Actor(OwnThread, Args&&... args)
      : state_(std::forward<Args>(args)...),
        own_(std::make_unique<ThreadExecutor>()),
        ex_(own_.get()) {}

  Actor(const Actor&) = delete;
  Actor& operator=(const Actor&) = delete;

  // Stop(): drains accepted messages, then releases the thread (if owned).
  ~Actor() { Stop(); }

  static constexpr int kBatch = 64;

  // Fire and forget. False if the actor is stopped (message dropped).
  template <typename M>
  bool Tell(M&& msg) {
    using Msg = std::decay_t<M>;
    struct TellMessage final : MessageBase {
      Msg msg;
      explicit TellMessage(M&& m) : msg(std::forward<M>(m)) {}
      void Handle(State& s) noexcept override { Invoke(s, std::move(msg)); }
      void Reject() noexcept override {}
    };
    return Enqueue(std::make_unique<TellMessage>(std::forward<M>(msg)));
  }

  // Request / response.
  template <typename M>
  auto Ask(M&& msg) {
    using Msg = std::decay_t<M>;
    using R = decltype(Invoke(std::declval<State&>(), std::declval<Msg&&>()));
    using StatePtr = std::shared_ptr<actor_internal::ReplyState<R>>;
    struct AskMessage final : MessageBase {
      Msg msg;
      StatePtr reply;
      AskMessage(M&& m, StatePtr r) : msg(std::forward<M>(m)), reply(std::move(r)) {}
      void Handle(State& s) noexcept override {
        try {
          if constexpr (std::is_void_v<R>) {
            Invoke(s, std::move(msg));
            reply->SetValue('\0');
          } else {
            reply->SetValue(Invoke(s, std::move(msg)));
          }
        } catch (...) {
          reply->SetError(std::current_exception());
        }
      }
      void Reject() noexcept override { reply->SetError(std::make_exception_ptr(ActorStopped())); }
    };
    auto state = std::make_shared<actor_internal::ReplyState<R>>();
    {
      MutexLock l(&state->mu);
      state->resume_on = ex_;
    }
    Reply<R> reply(state);
    auto m = std::make_unique<AskMessage>(std::forward<M>(msg), std::move(state));
    AskMessage* raw = m.get();
    if (!Enqueue(std::move(m), /*reject_owned=*/false)) {
      // Enqueue left the message to us: fail the reply now.
      std::unique_ptr<AskMessage> owned(raw);
      owned->Reject();
    }
    return reply;
  }

  // Stops accepting messages and waits until the accepted ones are handled.
  // Idempotent.
  void Stop() {
    std::deque<std::unique_ptr<MessageBase>> orphans;
    {
      MutexLock l(&mu_);
      stopped_ = true;
      while (scheduled_) idle_.Wait(&mu_);
      // Non-empty only if scheduling failed (a throwing Execute): nobody will
      // run these; reject them rather than leave their askers waiting.
      orphans.swap(mailbox_);
    }
    for (auto& m : orphans) m->Reject();
    orphans.clear();
    own_.reset();  // joins the actor's own thread, if any
  }

  Executor& executor() const { return *ex_; }

 private:
  struct MessageBase {
    virtual ~MessageBase() = default;
    virtual void Handle(State& s) noexcept = 0;
    virtual void Reject() noexcept = 0;
  };

  template <typename Msg>
  static decltype(auto) Invoke(State& s, Msg&& m) {
    if constexpr (std::is_invocable_v<Msg&&, State&>) {
      return std::forward<Msg>(m)(s);
    } else {
      return s.Handle(std::forward<Msg>(m));
    }
  }

  // On rejection with reject_owned == false, releases (does not destroy) the
  // message so the caller can fail it.
  // If Execute throws, takes the message back out (destroying it), clears
  // scheduled_ and rethrows.
  bool Enqueue(std::unique_ptr<MessageBase> m, bool reject_owned = true) {
    bool schedule = false;
    MessageBase* const raw = m.get();
    {
      MutexLock l(&mu_);
      if (stopped_) {
        if (!reject_owned) m.release();
        return false;
      }
      mailbox_.push_back(std::move(m));
      if (!scheduled_) {
        scheduled_ = true;
        schedule = true;
      }
    }
    if (schedule) {
      inject::At(inject::Point::kActorSchedule);
      try {
        ex_->Execute(JobRef{&RunBatch, this});
      } catch (...) {
        std::unique_ptr<MessageBase> ours;
        {
          MutexLock l(&mu_);
          for (auto it = mailbox_.begin(); it != mailbox_.end(); ++it) {
            if (it->get() == raw) {
              ours = std::move(*it);
              mailbox_.erase(it);
              break;
            }
          }
          scheduled_ = false;
          idle_.SignalAll();
        }
        throw;  // `ours` is destroyed unhandled: the message was not accepted
      }
    }
    return true;
  }

  static void RunBatch(void* p) noexcept {
    auto* self = static_cast<Actor*>(p);
    // The running batch's own deque, kept between batches: a local deque
    // cost a map and a node allocation (and their frees) per batch, i.e.
    // per ask on a request/response actor (issue 13).
    auto& batch = self->running_;
    int handled = 0;
    for (;;) {
      {
        MutexLock l(&self->mu_);
        if (self->mailbox_.empty()) {
          inject::At(inject::Point::kActorIdle);
          self->scheduled_ = false;
          self->idle_.SignalAll();
          return;  // `self` may be destroyed as soon as the lock is released
        }
        if (handled >= kBatch) break;  // fairness: re-queue behind others
        batch.swap(self->mailbox_);
      }
      for (auto& m : batch) m->Handle(self->state_);
      handled += static_cast<int>(batch.size());
      batch.clear();
    }
    inject::At(inject::Point::kActorRequeue);
    self->ex_->ExecuteLater(JobRef{&RunBatch, self});
  }

  State state_;  // touched only by the running batch
  // Touched only by the running batch (RunBatch swaps it with the mailbox);
  // always empty between batches.
  std::deque<std::unique_ptr<MessageBase>> running_;
  std::unique_ptr<ThreadExecutor> own_;
  Executor* const ex_;

  Mutex mu_;
  CondVar idle_;
  std::deque<std::unique_ptr<MessageBase>> mailbox_ ABSL_GUARDED_BY(mu_);
  bool scheduled_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace harness::runtime

#endif  // HARNESS_RUNTIME_ACTOR_H_
