//! Refs come from every client (`entity(ref:)`, `path(from:, to:)`, `/subgraph?roots=`): any
//! string must resolve to exactly one known entity or fail with a typed error, never panic.
#![no_main]

use govgraph::services::catalog::Catalog;
use govgraph::services::search::RefError;
use govgraph::store::{NoProgress, Store};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let store = Store::memory().expect("an in-memory store");
        store.initialize(true, &NoProgress).expect("the bundled seed loads");
        Catalog::load(&store).expect("the seed builds a catalog")
    })
}

fuzz_target!(|reference: &str| {
    let catalog = catalog();
    match catalog.resolve_ref(reference) {
        Ok(id) => {
            assert!(
                catalog.summary(&id).is_some(),
                "{reference:?} resolved to unknown {id:?}"
            );
            assert_eq!(
                catalog.resolve_ref(&id).as_deref(),
                Ok(id.as_str()),
                "ids resolve to themselves"
            );
        }
        Err(RefError::NotFound { suggestions, .. }) => {
            assert!(suggestions.len() <= 5);
            for (id, _) in suggestions {
                assert!(catalog.summary(&id).is_some(), "suggested unknown {id:?}");
            }
        }
        Err(RefError::Ambiguous { candidates, .. }) => assert!(candidates.len() > 1),
    }
    let _ = catalog.search(reference);
});
