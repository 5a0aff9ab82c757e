//! Where a request's time went, sent back in a `Server-Timing` header (W3C Server Timing):
//! browsers' developer tools draw it beside the network's own timings, and `bench/compare` reads
//! it to tell the server's phases from the time on the wire. A phase that did not happen is left
//! out; phases that happen several times (two searches in one GraphQL document) add up.

use actix_web::http::header::HeaderValue;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The phases of a request, in the order they happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading the request's text into a document (a GraphQL or SPARQL parse).
    Parse,
    /// GraphQL validation against the schema, with the cost and depth limits.
    Validate,
    /// Resolving the GraphQL fields, searches included.
    Execute,
    /// Waiting for a thread of the search or store pool, there and back.
    Hop,
    /// Graph work on the search pool: resolving refs and searching.
    Search,
    /// SPARQL evaluation, with the results written out.
    Evaluate,
    /// Writing the response body.
    Serialise,
}

impl Phase {
    const ALL: [Phase; 7] = [
        Phase::Parse,
        Phase::Validate,
        Phase::Execute,
        Phase::Hop,
        Phase::Search,
        Phase::Evaluate,
        Phase::Serialise,
    ];

    /// The metric's name in the header.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Parse => "parse",
            Phase::Validate => "validate",
            Phase::Execute => "execute",
            Phase::Hop => "hop",
            Phase::Search => "search",
            Phase::Evaluate => "evaluate",
            Phase::Serialise => "serialise",
        }
    }
}

/// The time each phase of one request took so far; shared with the threads that do its work.
#[derive(Debug, Default)]
pub struct Timing {
    nanoseconds: [AtomicU64; Phase::ALL.len()],
}

impl Timing {
    pub fn add(&self, phase: Phase, elapsed: Duration) {
        let nanoseconds = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.nanoseconds[phase as usize].fetch_add(nanoseconds, Ordering::Relaxed);
    }

    /// Runs `work` and adds its time to `phase`.
    pub fn time<T>(&self, phase: Phase, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        self.add(phase, started.elapsed());
        result
    }

    pub fn get(&self, phase: Phase) -> Duration {
        Duration::from_nanos(self.nanoseconds[phase as usize].load(Ordering::Relaxed))
    }

    /// `parse;dur=0.012, execute;dur=0.250, ...`: milliseconds, to the microsecond.
    pub fn header_value(&self) -> Option<HeaderValue> {
        let mut value = String::new();
        for phase in Phase::ALL {
            let elapsed = self.get(phase);
            if elapsed.is_zero() {
                continue;
            }
            if !value.is_empty() {
                value.push_str(", ");
            }
            let _ = write!(value, "{};dur={:.3}", phase.name(), elapsed.as_secs_f64() * 1000.0);
        }
        (!value.is_empty())
            .then(|| HeaderValue::from_str(&value).ok())
            .flatten()
    }
}

/// The header's name.
pub const SERVER_TIMING: &str = "server-timing";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_add_up_and_the_header_lists_only_those_that_happened() {
        let timing = Timing::default();
        assert!(timing.header_value().is_none());
        timing.add(Phase::Search, Duration::from_micros(1_500));
        timing.add(Phase::Search, Duration::from_micros(500));
        timing.add(Phase::Parse, Duration::from_nanos(12_345));
        let header = timing.header_value().unwrap();
        assert_eq!(header.to_str().unwrap(), "parse;dur=0.012, search;dur=2.000");
        assert_eq!(timing.time(Phase::Serialise, || 7), 7);
        assert!(
            timing
                .header_value()
                .unwrap()
                .to_str()
                .unwrap()
                .contains("serialise;dur=")
        );
    }
}
