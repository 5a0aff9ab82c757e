//! Services: what the commands and the API do, built on the store (and, later, the graph
//! projection). They speak `crate::model` types; no RDF or HTTP here.

pub mod catalog;
pub mod changes;
pub mod curate;
pub mod explore;
pub mod generate;
pub mod import;
pub mod search;
pub mod snapshot;
pub mod summaries;
pub mod writes;
