//! message_passing/rust_crossbeam_unbounded: crossbeam_channel::unbounded(); the
//! producers and the consumer of message_passing.rs.

use crate::message_passing::{run, Msg, MessagePassingArgs, Payload};

fn go<P: Payload>(args: &MessagePassingArgs) {
    let (tx, rx) = crossbeam_channel::unbounded::<Msg<P>>();
    run(args, tx, |tx: &_, m| tx.send(m).unwrap(), || rx.recv().ok());
}

#[no_mangle]
pub extern "C" fn harness_rust_message_passing_crossbeam_unbounded(args: &MessagePassingArgs) {
    if args.payload == 1 {
        go::<String>(args)
    } else {
        go::<u64>(args)
    }
}
