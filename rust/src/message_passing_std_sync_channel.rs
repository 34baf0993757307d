//! message_passing/rust_std_sync_channel: std::sync::mpsc::sync_channel(1024): senders block while 1024 messages wait; the
//! producers and the consumer of message_passing.rs.

use crate::message_passing::{run, Msg, MessagePassingArgs, Payload};

fn go<P: Payload>(args: &MessagePassingArgs) {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Msg<P>>(1024);
    run(args, tx, |tx: &_, m| tx.send(m).unwrap(), || rx.recv().ok());
}

#[no_mangle]
pub extern "C" fn harness_rust_message_passing_std_sync_channel(args: &MessagePassingArgs) {
    if args.payload == 1 {
        go::<String>(args)
    } else {
        go::<u64>(args)
    }
}
