//! The HTTP API: the actix application and its handlers. Handlers convert requests, call the
//! store or a service, and map errors to status codes in one place ([`ApiError`]).

mod error;
mod health;

pub use error::ApiError;

use crate::store::Store;
use actix_web::{App, HttpServer, web};
use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::Arc;

/// What every handler may use. Cheap to clone: one per worker thread.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Writes are enabled only with a token; none yet in this version of the API.
    pub admin_token: Option<Arc<str>>,
}

impl AppState {
    pub fn new(store: Store, admin_token: Option<String>) -> Self {
        Self {
            store,
            admin_token: admin_token.map(Arc::from),
        }
    }
}

/// Registers every route; used by [`serve`] and by tests that build the app in-process.
pub fn configure(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |config| {
        config
            .app_data(web::Data::new(state))
            .route("/healthz", web::get().to(health::healthz))
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
