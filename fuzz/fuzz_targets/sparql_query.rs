//! SPARQL queries reach the server from anyone (`GET`/`POST /sparql`): any text must be
//! refused with a limit or a syntax error, or evaluated, within the time budget, on the stack
//! the server gives it; never panic, never overflow.
#![no_main]

#[path = "shared/mod.rs"]
mod shared;

use govgraph::store::{Cancellation, NoProgress, ProtocolDataset, SparqlFormat, Store, StoreError, parse_query};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let store = Store::memory().expect("an in-memory store");
        store.initialize(true, &NoProgress).expect("the bundled seed loads");
        store
    })
}

fuzz_target!(|text: &str| {
    let store = store();
    let cancellation = Cancellation::default();
    let (finished, wait) = mpsc::channel::<()>();
    // The server's budget, shortened: evaluation stops at its next check once it is cancelled.
    let stopper = cancellation.clone();
    let timer = std::thread::spawn(move || {
        if wait.recv_timeout(Duration::from_secs(2)).is_err() {
            stopper.cancel();
        }
    });
    let outcome = shared::as_the_server_does(text.len(), || {
        let checked = parse_query(text, &shared::LIMITS)?;
        store.sparql_query(
            checked,
            &ProtocolDataset::default(),
            &|form| Some(SparqlFormat::default_for(form)),
            &cancellation,
        )
    });
    let _ = finished.send(());
    let _ = timer.join();
    match outcome {
        Ok(_) | Err(StoreError::LimitExceeded { .. } | StoreError::QuerySyntax { .. } | StoreError::Cancelled) => {}
        Err(StoreError::QueryEvaluation(_) | StoreError::Refused(_) | StoreError::InvalidIri { .. }) => {}
        Err(other) => panic!("{text:?}: unexpected error {other:?}"),
    }
});
