#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The integration tests: one binary, each module a boundary of the system. They run the real
//! `govgraph` binary on temporary directories and talk to the real server over HTTP.

mod apq;
mod architecture;
mod cite;
mod claims;
mod cli;
mod communities;
mod consistency;
mod dereference;
mod disk;
mod docs;
mod entity_filters;
mod graph_store;
mod graphql;
mod hostile;
mod http;
mod linked;
mod protocol;
mod relations;
mod replicas;
mod seed;
mod serve;
mod text_search;
mod time;
mod util;
mod validate;
mod visual;
mod warnings;
mod writes;
