//! Where graph work runs: a pool of one thread per core (rayon's global pool), off the async
//! executor. Searches are CPU-bound, so more threads than cores would only take turns; and a
//! thread that serves search after search keeps its per-node scratch arrays (`graph::marks`)
//! allocated and in cache, where tokio's blocking pool would spread calls over many threads.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Graph work that did not finish: it panicked (a bug, logged and answered as an internal error).
#[derive(Debug, thiserror::Error)]
#[error("graph work panicked: {0}")]
pub struct Panicked(pub(super) String);

pub(super) fn message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned())
}

/// Runs `work` on the pool and waits for it without blocking the executor.
pub async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Panicked> {
    let (done, outcome) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        // A panic must come back as an error: rayon aborts the process on an uncaught one.
        let result = catch_unwind(AssertUnwindSafe(work)).map_err(|panic| Panicked(message(panic.as_ref())));
        // The request may have gone (client disconnected); nobody is left to tell.
        let _ = done.send(result);
    });
    outcome
        .await
        .unwrap_or_else(|_| Err(Panicked("the pool dropped the work".to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_comes_back_and_a_panic_becomes_an_error() {
        assert_eq!(run(|| 6 * 7).await.unwrap(), 42);
        let error = run(|| -> u32 { panic!("searched too far") }).await.unwrap_err();
        assert!(error.to_string().contains("searched too far"), "{error}");
        assert_eq!(run(|| "still serving").await.unwrap(), "still serving");
    }
}
