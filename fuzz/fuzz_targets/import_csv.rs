//! `govgraph import` reads spreadsheets researchers made by hand: any bytes must be planned or
//! rejected with a `FILE:LINE` message, never panic, and a plan must be consistent.
//!
//! Input: the entities CSV, a NUL byte, the relations CSV (either may be empty = not given).
#![no_main]

use govgraph::services::import::{CsvFile, ImportError, plan};
use govgraph::store::{NoProgress, Store};
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;
use std::sync::OnceLock;

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let store = Store::memory().expect("an in-memory store");
        store.initialize(true, &NoProgress).expect("the bundled seed loads");
        store
    })
}

fn csv<'a>(name: &str, bytes: &'a [u8]) -> Option<CsvFile<'a>> {
    (!bytes.is_empty()).then(|| CsvFile {
        file: format!("fuzz/{name}"),
        file_name: name.to_owned(),
        bytes,
    })
}

fuzz_target!(|data: &[u8]| {
    let (entities, relations) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (data, &[][..]),
    };
    match plan(store(), csv("entities.csv", entities), csv("relations.csv", relations)) {
        Ok(plan) => {
            let ids: HashSet<&str> = plan.entities.iter().map(|e| e.id.as_str()).collect();
            assert_eq!(ids.len(), plan.entities.len(), "duplicate ids planned");
            for entity in &plan.entities {
                assert!(!entity.label.is_empty());
                assert!(!entity.sources.is_empty(), "provenance is mandatory");
            }
            for (relation, _) in &plan.relations {
                assert_ne!(relation.source, relation.target);
                for endpoint in [&relation.source, &relation.target] {
                    assert!(
                        ids.contains(endpoint.as_str()) || store().entity_exists(endpoint).unwrap_or(false),
                        "planned a relation to unknown {endpoint}"
                    );
                }
            }
        }
        Err(ImportError::Row { file, line, message }) => {
            assert!(file.starts_with("fuzz/"));
            assert!(!message.is_empty());
            let _ = line;
        }
        Err(error) => panic!("an import of in-memory files failed without a row: {error}"),
    }
});
