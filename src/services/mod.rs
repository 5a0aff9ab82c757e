//! Services: what the commands and the API do, built on the store and the graph projection:
//! the catalog (the read model), the write path, the researcher's questions, search, curation,
//! import. They speak `crate::model` types, ids and handles; no RDF or HTTP here.

pub mod catalog;
pub mod changes;
pub mod cite;
pub mod curate;
pub mod explore;
pub mod generate;
pub mod handles;
pub mod import;
pub mod listing;
pub mod packed;
pub mod passages;
pub mod quotes;
pub mod search;
pub mod snapshot;
pub mod warnings;
pub mod writes;
