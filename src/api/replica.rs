//! A replica over a remote SPARQL store (`--sparql-endpoint`): a task polls the store's dataset
//! version and, when it moved (a write through another replica, or straight into the store),
//! applies the changes made since (or pulls the data again), refreshes the read model and tells
//! live subscribers what changed.
//! Whether the last poll reached the store is what `/readyz` reports.

use super::AppState;
use std::sync::Mutex;
use std::time::Duration;

/// Why the server is not ready to serve, if it is not; and why writes fail, if they do.
#[derive(Default)]
pub struct Readiness {
    problem: Mutex<Option<String>>,
    writes: Mutex<Option<String>>,
}

impl Readiness {
    pub fn problem(&self) -> Option<String> {
        self.problem.lock().map(|problem| problem.clone()).unwrap_or_default()
    }

    /// Why the last write failed for lack of disk space, until one succeeds.
    pub fn writes_problem(&self) -> Option<String> {
        self.writes.lock().map(|problem| problem.clone()).unwrap_or_default()
    }

    /// Records whether a write was refused for lack of space, logging the transitions.
    pub fn writes_refused(&self, reason: Option<String>) {
        let Ok(mut current) = self.writes.lock() else {
            return;
        };
        match (&*current, &reason) {
            (None, Some(now)) => tracing::error!(reason = %now, "the disk is full: writes are refused, reads go on"),
            (Some(_), None) => tracing::info!("writes succeed again: the disk has room"),
            _ => {}
        }
        *current = reason;
    }

    /// Records the outcome of a poll, logging only the transitions.
    fn set(&self, problem: Option<String>) {
        let Ok(mut current) = self.problem.lock() else {
            return;
        };
        match (&*current, &problem) {
            (before, Some(now)) if before.as_ref() != Some(now) => tracing::warn!(problem = %now, "not ready"),
            (Some(_), None) => tracing::info!("the store is reachable again: ready"),
            _ => {}
        }
        *current = problem;
    }
}

/// Polls the store every `interval` for as long as the server runs.
pub fn spawn_poller(state: AppState, interval: Duration) {
    actix_web::rt::spawn(async move {
        // The first poll one interval after the start: the start itself pulled the store.
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let guard = state.write_lock.clone().lock_owned().await;
            let store = state.store.clone();
            let current = state.catalog.clone();
            let events = state.events.clone();
            let outcome = super::blocking::on_pool(move || {
                let _guard = guard;
                crate::services::writes::catch_up(&store, &current, &events).map(drop)
            })
            .await;
            crate::services::writes::fold_when_due(&state.catalog, &state.write_lock, &state.folding);
            let problem = match outcome {
                Ok(Ok(())) => None,
                Ok(Err(error)) => Some(error.to_string()),
                Err(error) => Some(format!("the poll did not run: {error}")),
            };
            state.readiness.set(problem);
        }
    });
}
