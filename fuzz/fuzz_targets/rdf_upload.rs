//! RDF documents reach the server through the Graph Store Protocol (`PUT`/`POST /store`) and
//! `govgraph load`: any bytes, in any of the formats it takes, must be refused (a limit, a
//! syntax error located as `FILE:LINE:COLUMN`) or written whole, on the stack the server gives
//! the write; never panic, never overflow, never expand without bound.
//!
//! Input: one byte choosing the format, then the document.
#![no_main]

#[path = "shared/mod.rs"]
mod shared;

use govgraph::store::{GraphTarget, RdfDocument, Store, StoreError};
use libfuzzer_sys::fuzz_target;

const MEDIA_TYPES: [&str; 4] = [
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
];

fuzz_target!(|data: &[u8]| {
    let Some((choice, document)) = data.split_first() else {
        return;
    };
    let media_type = MEDIA_TYPES[usize::from(*choice) % MEDIA_TYPES.len()];
    let store = Store::memory().expect("an in-memory store");
    let target = GraphTarget::named("https://example.org/fuzz").expect("a graph name");
    let outcome = shared::as_the_server_does(0, || {
        let document = RdfDocument::from_body(document.to_vec(), media_type, None, &target, shared::LIMITS)?;
        store
            .write_graph(&target, &[document], true)
            .map(|(created, _)| created)
    });
    match outcome {
        Ok(_) => {}
        Err(StoreError::LimitExceeded { .. } | StoreError::Syntax { .. }) => {
            assert!(store.is_empty().unwrap(), "a refused document wrote")
        }
        Err(other) => panic!("{media_type}: unexpected error {other:?}"),
    }
});
