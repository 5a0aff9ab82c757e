//! What the parser targets share: the server's own way of running a parse, on a thread with the
//! stack govgraph gives it, so that a stack overflow found here is one the server would have.

use govgraph::store::{InputLimits, evaluation_stack, parse_stack};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

/// The limits the server runs with by default.
pub const LIMITS: InputLimits = InputLimits::DEFAULT;

/// Runs `work` as the server does a request of `length` bytes, on a stack of the size the
/// server would give it; a panic is passed on (libFuzzer reports it as a crash).
pub fn as_the_server_does<T: Send>(length: usize, work: impl FnOnce() -> T + Send) -> T {
    let stack = parse_stack(length).max(evaluation_stack(&LIMITS));
    std::thread::scope(|scope| {
        let outcome = std::thread::Builder::new()
            .stack_size(stack)
            .spawn_scoped(scope, || catch_unwind(AssertUnwindSafe(work)))
            .expect("a thread for the parse")
            .join();
        match outcome {
            Ok(Ok(value)) => value,
            Ok(Err(panic)) | Err(panic) => resume_unwind(panic),
        }
    })
}
