//! govgraph: a knowledge-graph server for the history of Internet governance.
//!
//! Data flows one way: `ontology/` + `seed/` -> [`store`] (the only module that touches
//! Oxigraph) -> [`services`] -> [`api`] (HTTP) -> actix. [`run`] executes a parsed command line
//! for `main`; [`api::build_app`] builds the HTTP application for `main` and the tests.

pub mod api;
mod commands;
pub mod config;
pub mod model;
pub mod services;
pub mod store;

pub use commands::{Error, run};
