//! The HTTP API: the actix application and its handlers. Handlers convert requests, call the
//! store or a service, and map errors to status codes in one place ([`ApiError`]).

mod error;
pub mod graphql;
mod health;

pub use error::ApiError;

use crate::config::Limits;
use crate::services::catalog::Catalog;
use crate::store::{Store, StoreError};
use actix_web::{App, HttpServer, web};
use arc_swap::ArcSwap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::Arc;

/// What every handler may use. Cheap to clone: one per worker thread.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The current read model; a write replaces it whole, and readers keep the snapshot they
    /// started with.
    pub catalog: Arc<ArcSwap<Catalog>>,
    pub schema: graphql::GovSchema,
    pub limits: Limits,
    /// Writes are enabled only with a token; none yet in this version of the API.
    pub admin_token: Option<Arc<str>>,
}

impl AppState {
    /// Builds the state, loading the read model from the store.
    pub fn new(store: Store, limits: Limits, admin_token: Option<String>) -> Result<Self, StoreError> {
        let catalog = Catalog::load(&store)?;
        Ok(Self {
            store,
            catalog: Arc::new(ArcSwap::from_pointee(catalog)),
            schema: graphql::schema(limits),
            limits,
            admin_token: admin_token.map(Arc::from),
        })
    }
}

/// Registers every route; used by [`serve`] and by tests that build the app in-process.
pub fn configure(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |config| {
        config
            .app_data(web::Data::new(state))
            .route("/healthz", web::get().to(health::healthz))
            .route("/graphql", web::get().to(graphql::http::get))
            .route("/graphql", web::post().to(graphql::http::post))
            .default_service(web::to(error::not_found));
    }
}

/// Listens on `bind`, prints `listening on http://HOST:PORT` once it accepts connections, and
/// runs until SIGINT/SIGTERM.
pub async fn serve(state: AppState, bind: SocketAddr) -> io::Result<()> {
    let server = HttpServer::new(move || App::new().configure(configure(state.clone()))).bind(bind)?;
    for address in server.addrs() {
        tracing::info!(%address, "listening");
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "listening on http://{address}")?;
        stdout.flush()?;
    }
    server.run().await
}
