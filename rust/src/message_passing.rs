//! message_passing, shared by the four channel strategies: seed 000/001
//! `mpsc::channel`, "Hello from the thread!" sent by spawned threads. Producer
//! w (a `thread::spawn`ed thread) sends its share of the messages with
//! sequence numbers 0, 1, ...; the caller's thread receives until every
//! sender is dropped and hands each message to the C++ log (one FFI call per
//! message; a String payload is copied into a std::string there, one more
//! allocation and copy per message than a Rust-only program, which would
//! move the String into a Vec). Values as in scenarios/message_passing
//! (U64Value, StringValue), so the scenario's check applies unchanged.

use std::os::raw::{c_char, c_void};
use std::thread;

use crate::common::{share_begin, share_of};

/// Mirrors HarnessRustMessagePassing (rust/include/harness_rust.h).
#[repr(C)]
pub struct MessagePassingArgs {
    pub payload: i32,
    pub workers: i32,
    pub messages: i64,
    pub log: *mut c_void,
    pub take_u64: extern "C" fn(*mut c_void, u32, u64, u64),
    pub take_string: extern "C" fn(*mut c_void, u32, u64, *const c_char, usize),
}

/// One message: its producer, its place in that producer's stream, payload.
pub struct Msg<P> {
    pub producer: u32,
    pub seq: u64,
    pub payload: P,
}

/// A payload type: how message k's value is made, and how the consumer
/// hands a message to the C++ log.
pub trait Payload: Send + 'static {
    fn make(k: i64) -> Self;
    fn take(self, args: &MessagePassingArgs, producer: u32, seq: u64);
}

impl Payload for u64 {
    fn make(k: i64) -> u64 {
        (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1)
    }
    fn take(self, args: &MessagePassingArgs, producer: u32, seq: u64) {
        (args.take_u64)(args.log, producer, seq, self);
    }
}

impl Payload for String {
    fn make(k: i64) -> String {
        format!("Hello from the thread! #{}", k)
    }
    fn take(self, args: &MessagePassingArgs, producer: u32, seq: u64) {
        (args.take_string)(args.log, producer, seq, self.as_ptr() as *const c_char, self.len());
    }
}

/// Runs producers 0..workers on spawned threads, each sending through its
/// clone of `tx` with `send`, drops the original sender, receives on this
/// thread with `recv` until it returns None (every sender gone), then joins.
pub fn run<P: Payload, Tx: Clone + Send + 'static, S: Fn(&Tx, Msg<P>) + Copy + Send + 'static>(
    args: &MessagePassingArgs,
    tx: Tx,
    send: S,
    mut recv: impl FnMut() -> Option<Msg<P>>,
) {
    let (messages, workers) = (args.messages, args.workers as i64);
    let producers: Vec<thread::JoinHandle<()>> = (0..workers)
        .map(|w| {
            let tx = tx.clone();
            thread::spawn(move || {
                let begin = share_begin(messages, workers, w);
                for seq in 0..share_of(messages, workers, w) {
                    let msg = Msg { producer: w as u32, seq: seq as u64, payload: P::make(begin + seq) };
                    send(&tx, msg);
                }
            })
        })
        .collect();
    drop(tx);
    while let Some(m) = recv() {
        m.payload.take(args, m.producer, m.seq);
    }
    for p in producers {
        p.join().unwrap();
    }
}
