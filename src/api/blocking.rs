//! Where store work runs: off the async executor (Oxigraph's calls block), on threads whose
//! stacks are deep enough for what the store's parsers and evaluator may need. Most work goes to
//! a pool whose threads have the stack that evaluating any checked SPARQL text or parsing any RDF
//! document within the input limits calls for (`store::evaluation_stack`). Work that needs more
//! (a long SPARQL text, whose parse may recurse once per byte: `store::parse_stack`) gets a
//! thread of its own, sized for it; only a few run at once, so that the stacks hostile texts
//! grow cannot add up, and each is given back when its thread ends.

use super::compute::{Panicked, message};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// Threads the pool may start; idle ones end after ten seconds.
const POOL_THREADS: usize = 128;
/// Threads of their own that may run at once.
const OWN_THREADS: usize = 2;

struct Pool {
    runtime: Option<tokio::runtime::Runtime>,
    stack: usize,
}

static POOL: OnceLock<Pool> = OnceLock::new();

fn pool(stack: usize) -> &'static Pool {
    // Never less than the default limits call for, whoever asks first.
    let stack = stack.max(crate::store::evaluation_stack(&crate::store::InputLimits::DEFAULT));
    POOL.get_or_init(|| Pool {
        runtime: tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(POOL_THREADS)
            .thread_stack_size(stack)
            .thread_name("govgraph-store")
            .build()
            .map_err(|error| tracing::warn!(%error, "no pool for store work: every call gets its own thread"))
            .ok(),
        stack,
    })
}

/// Starts the pool with threads of `stack` bytes (the first call decides; work that needs more
/// gets threads of its own).
pub fn configure(stack: usize) {
    pool(stack);
}

/// Runs `work` on a thread with at least `stack` bytes of stack and waits for it without
/// blocking the executor. A panic comes back as an error.
pub async fn run<T: Send + 'static>(stack: usize, work: impl FnOnce() -> T + Send + 'static) -> Result<T, Panicked> {
    let pool = pool(stack);
    if let Some(runtime) = &pool.runtime
        && stack <= pool.stack
    {
        return runtime.spawn_blocking(work).await.map_err(|error| {
            Panicked(match error.try_into_panic() {
                Ok(panic) => message(panic.as_ref()),
                Err(error) => error.to_string(),
            })
        });
    }
    own_thread(stack, work).await
}

/// Runs store work that parses nothing a client sent (reads, exports) on the pool.
pub async fn on_pool<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Panicked> {
    let stack = POOL.get().map_or(0, |pool| pool.stack);
    run(stack, work).await
}

async fn own_thread<T: Send + 'static>(stack: usize, work: impl FnOnce() -> T + Send + 'static) -> Result<T, Panicked> {
    static TURNS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    let turns = TURNS.get_or_init(|| Arc::new(Semaphore::new(OWN_THREADS))).clone();
    let turn = turns
        .acquire_owned()
        .await
        .map_err(|_| Panicked("the thread turns were closed".to_owned()))?;
    let (done, outcome) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("govgraph-deep".to_owned())
        .stack_size(stack)
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(work)).map_err(|panic| Panicked(message(panic.as_ref())));
            drop(turn);
            // The request may have gone; nobody is left to tell.
            let _ = done.send(result);
        })
        .map_err(|error| Panicked(format!("cannot start a thread with a {stack}-byte stack: {error}")))?;
    outcome
        .await
        .unwrap_or_else(|_| Err(Panicked("the thread ended without an answer".to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(levels: u32) -> u32 {
        // Each level keeps a kilobyte on the stack.
        let frame = std::hint::black_box([levels as u8; 1024]);
        if levels == 0 {
            u32::from(frame[0])
        } else {
            depth(levels - 1) + 1
        }
    }

    #[tokio::test]
    async fn work_comes_back_on_a_stack_as_deep_as_asked_and_a_panic_becomes_an_error() {
        configure(16 << 20);
        assert_eq!(run(16 << 20, || depth(8_000)).await.unwrap(), 8_000);
        // More than the pool's stack: a thread of its own.
        assert_eq!(run(64 << 20, || depth(40_000)).await.unwrap(), 40_000);
        let error = run(16 << 20, || -> u32 { panic!("parsed too far") }).await.unwrap_err();
        assert!(error.to_string().contains("parsed too far"), "{error}");
        let error = run(64 << 20, || -> u32 { panic!("deeper still") }).await.unwrap_err();
        assert!(error.to_string().contains("deeper still"), "{error}");
        assert_eq!(run(16 << 20, || 7).await.unwrap(), 7);
    }
}
