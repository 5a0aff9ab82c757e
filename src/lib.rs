//! govgraph: a knowledge-graph server for the history of Internet governance.
//!
//! Data flows one way: `ontology/` + `seed/` -> [`store`] (the only module that touches
//! Oxigraph) -> [`graph`] (the petgraph projection and its algorithms; pure) -> [`services`]
//! -> [`api`] (GraphQL and HTTP) -> actix. [`run`] executes a parsed command line
//! for `main`; the `serve` command hands the catalog to [`api::serve`], which runs the HTTP server.

pub mod api;
mod commands;
pub mod config;
pub mod error_code;
pub mod graph;
pub mod model;
pub mod services;
pub mod store;

pub use commands::{Error, run};
