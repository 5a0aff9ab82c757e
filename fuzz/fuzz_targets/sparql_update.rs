//! SPARQL updates reach the server with the admin token (`POST /sparql/update`): any text must
//! be refused, or applied atomically with what it implies, on the stack the server gives it;
//! never panic, never overflow. A refused update changes nothing.
#![no_main]

#[path = "shared/mod.rs"]
mod shared;

use govgraph::store::{Store, StoreError, parse_update};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let store = Store::memory().expect("an in-memory store");
    let outcome = shared::as_the_server_does(text.len(), || {
        let checked = parse_update(text, &shared::LIMITS)?;
        store.sparql_update(checked)
    });
    match outcome {
        Ok(()) => assert!(
            !store.is_empty().unwrap(),
            "{text:?}: an applied update records its change"
        ),
        Err(StoreError::LimitExceeded { .. } | StoreError::QuerySyntax { .. } | StoreError::Refused(_)) => {
            assert!(store.is_empty().unwrap(), "{text:?}: a refused update wrote")
        }
        Err(StoreError::QueryEvaluation(_) | StoreError::InvalidIri { .. }) => {
            assert!(store.is_empty().unwrap(), "{text:?}: a failed update wrote")
        }
        Err(other) => panic!("{text:?}: unexpected error {other:?}"),
    }
});
