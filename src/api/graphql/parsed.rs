//! Parsed query documents by their text. Clients send the same few documents again and again
//! with other variables, and parsing is a large share of answering a small query. Only documents
//! that ran without errors once are kept (so they passed the schema's parser limits), the cache
//! is bounded, and a hit still goes through validation and every limit.

use async_graphql::parser::{parse_query, types::ExecutableDocument};
use std::collections::HashMap;
use std::sync::Mutex;

/// Documents kept at most; the cache starts over when full (clients' working sets are small).
const CAPACITY: usize = 512;
/// Longer documents are parsed every time: they are rare, and would make the cache large.
const LONGEST: usize = 8 * 1024;

#[derive(Default)]
pub struct ParsedQueries {
    documents: Mutex<HashMap<String, ExecutableDocument>>,
}

impl ParsedQueries {
    pub fn get(&self, query: &str) -> Option<ExecutableDocument> {
        let documents = self.documents.lock().ok()?;
        documents.get(query).cloned()
    }

    /// Parses `query` (which just ran without errors) and keeps it.
    pub fn remember(&self, query: &str) {
        if query.len() > LONGEST {
            return;
        }
        let Ok(document) = parse_query(query) else {
            return;
        };
        if let Ok(mut documents) = self.documents.lock() {
            if documents.len() >= CAPACITY {
                documents.clear();
            }
            documents.insert(query.to_owned(), document);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_kept_by_text_within_bounds() {
        let cache = ParsedQueries::default();
        assert!(cache.get("{ stats { entities } }").is_none());
        cache.remember("{ stats { entities } }");
        assert!(cache.get("{ stats { entities } }").is_some());
        assert!(cache.get("{ stats { relations } }").is_none());
        cache.remember("{ not valid");
        assert!(cache.get("{ not valid").is_none());
        cache.remember(&format!("{{ stats {{ entities }} }} # {}", "x".repeat(LONGEST)));
        assert_eq!(cache.documents.lock().unwrap().len(), 1, "long documents are not kept");
        for n in 0..CAPACITY {
            cache.remember(&format!("{{ a{n}: stats {{ entities }} }}"));
        }
        assert!(cache.documents.lock().unwrap().len() <= CAPACITY);
    }
}
