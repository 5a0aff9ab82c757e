//! SPARQL queries reach the server from anyone (`GET`/`POST /sparql`): any text must be
//! refused with a limit or a syntax error, or evaluated, within the time budget, on the stack
//! the server gives it; never panic, never overflow.
#![no_main]

#[path = "shared/mod.rs"]
mod shared;

use govgraph::store::{Cancellation, ProtocolDataset, SparqlFormat, Store, StoreError, parse_query, parse_update};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

/// A few entities and relations in the project's vocabulary: enough for every kind of pattern
/// to match something, few enough that joins stay quick and the fuzzer tries many texts.
const DATA: &str = "INSERT DATA { GRAPH <https://w3id.org/govgraph/graph/fuzz> {
    id:a a gg:Meeting ; rdfs:label \"A\"@en , \"a\" ; gg:openness gg:Open ; schema:startDate \"2014-04-23\"^^xsd:date .
    id:b a gg:Organization ; rdfs:label \"B\" ; gg:openness gg:Closed ; skos:altLabel \"bee\" .
    id:c a gg:Document ; rdfs:label \"C\" ; dcterms:issued \"2013\"^^xsd:gYear .
    id:a gg:feedsInto id:b . id:b gg:organizes id:c . id:c gg:inspired id:a . id:a gg:relatedTo id:c .
    id:r a gg:Relation ; gg:source id:a ; gg:target id:b ; gg:predicate gg:feedsInto ; gg:relationKind gg:Direct ;
        gg:evidence [ gg:document id:c ; gg:quote \"a feeds b\" ] .
    id:d gg:count 3 , 4.5 , \"x\"^^xsd:string , true .
} }";

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let store = Store::memory().expect("an in-memory store");
        let data = parse_update(DATA, &shared::LIMITS).expect("the fuzzing data parses");
        store.sparql_update(data).expect("the fuzzing data loads");
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
        if wait.recv_timeout(Duration::from_millis(500)).is_err() {
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
