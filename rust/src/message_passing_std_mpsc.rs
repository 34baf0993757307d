//! message_passing/rust_std_mpsc: std::sync::mpsc::channel() (unbounded), the articles' channel; the
//! producers and the consumer of message_passing.rs.

use crate::message_passing::{run, Msg, MessagePassingArgs, Payload};

fn go<P: Payload>(args: &MessagePassingArgs) {
    let (tx, rx) = std::sync::mpsc::channel::<Msg<P>>();
    run(args, tx, |tx: &_, m| tx.send(m).unwrap(), || rx.recv().ok());
}

#[no_mangle]
pub extern "C" fn harness_rust_message_passing_std_mpsc(args: &MessagePassingArgs) {
    if args.payload == 1 {
        go::<String>(args)
    } else {
        go::<u64>(args)
    }
}
