//! actor_ping/rust_tokio: seed 001's actix `MyActor` answering
//! `Ping("hello")` with "hello world", on Tokio (actix is not packaged in
//! Debian): each actor is a tokio task owning its mailbox, a bounded
//! `tokio::sync::mpsc` channel of 16 (actix's default mailbox capacity), and
//! its private count; a request carries its text and a `oneshot::Sender` for
//! the reply (actix's `addr.send(msg).await`). Clients are tokio tasks on
//! the same runtime (`workers` worker threads); client c's j-th request
//! "hello <c>:<j>" goes to actor (c + j) % actors. Each reply is handed to
//! the C++ client log through one FFI call, which copies it into a
//! std::string (one more allocation and copy than the C++ strategies' move);
//! one request in 16 has its round trip timed.

use std::os::raw::{c_char, c_void};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use crate::common::{share_of, SlotPtr};
use crate::tokio_runtime::Runtime;

/// Mirrors HarnessRustActorPing (rust/include/harness_rust.h).
#[repr(C)]
pub struct ActorPingArgs {
    pub actors: i64,
    pub requests: i64,
    pub clients: i32,
    pub client_logs: *const *mut c_void,
    pub reply: extern "C" fn(*mut c_void, *const c_char, usize),
    pub sample: extern "C" fn(*mut c_void, i64),
    pub actor_counts: *mut i64,
}

/// actor_ping::kSampleEvery.
const SAMPLE_EVERY: i64 = 16;

/// The message: the article's `Ping(String)`, with its reply channel.
struct Ping {
    text: String,
    reply: oneshot::Sender<String>,
}

/// The actor: answers text + " world" and counts; returns its count once
/// every mailbox sender is gone.
async fn actor(mut mailbox: mpsc::Receiver<Ping>) -> i64 {
    let mut count = 0i64;
    while let Some(Ping { text, reply }) = mailbox.recv().await {
        count += 1;
        let _ = reply.send(text + " world");
    }
    count
}

/// `addr.send(Ping(text)).await`: the reply.
async fn ask(addr: &mpsc::Sender<Ping>, text: String) -> String {
    let (tx, rx) = oneshot::channel();
    addr.send(Ping { text, reply: tx }).await.ok().expect("actor gone");
    rx.await.expect("no reply")
}

/// A client log, handed to its client task only.
#[derive(Clone, Copy)]
struct Log(SlotPtr<c_void>);

/// # Safety
/// `rt` is live; `client_logs` holds `clients` logs, `actor_counts` `actors`
/// slots.
#[no_mangle]
pub unsafe extern "C" fn harness_rust_actor_ping_tokio(rt: *mut Runtime, args: &ActorPingArgs) {
    let (actors, requests, clients) = (args.actors, args.requests, args.clients as i64);
    let (reply_fn, sample_fn) = (args.reply, args.sample);
    let logs: Vec<Log> = (0..clients).map(|c| Log(SlotPtr(*args.client_logs.add(c as usize)))).collect();
    let counts = SlotPtr(args.actor_counts);
    (*rt).0.block_on(async move {
        let mut addrs = Vec::with_capacity(actors as usize);
        let mut actor_tasks = Vec::with_capacity(actors as usize);
        for _ in 0..actors {
            let (tx, rx) = mpsc::channel::<Ping>(16);
            addrs.push(tx);
            actor_tasks.push(tokio::spawn(actor(rx)));
        }
        let addrs = Arc::new(addrs);
        let client_tasks: Vec<tokio::task::JoinHandle<()>> = logs
            .into_iter()
            .enumerate()
            .map(|(c, log)| {
                let addrs = Arc::clone(&addrs);
                let c = c as i64;
                tokio::spawn(async move {
                    for j in 0..share_of(requests, clients, c) {
                        let text = format!("hello {}:{}", c, j);
                        let addr = &addrs[((c + j) % actors) as usize];
                        if j % SAMPLE_EVERY == 0 {
                            let start = Instant::now();
                            let reply = ask(addr, text).await;
                            reply_fn(log.0.get(), reply.as_ptr() as *const c_char, reply.len());
                            sample_fn(log.0.get(), start.elapsed().as_nanos() as i64);
                        } else {
                            let reply = ask(addr, text).await;
                            reply_fn(log.0.get(), reply.as_ptr() as *const c_char, reply.len());
                        }
                    }
                })
            })
            .collect();
        for t in client_tasks {
            t.await.unwrap();
        }
        drop(addrs); // every mailbox closes: the actors return their counts
        for (a, t) in actor_tasks.into_iter().enumerate() {
            // SAFETY: a < actors; written once, here.
            *counts.at(a as i64) = t.await.unwrap();
        }
    });
}
