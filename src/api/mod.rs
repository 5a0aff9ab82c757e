//! The HTTP API: the actix application and its handlers. Handlers convert requests, call the
//! store or a service, and map errors to status codes in one place ([`ApiError`]).

pub(crate) mod blocking;
mod cache;
pub mod compute;
mod error;
mod export;
pub mod graphql;
mod gsp;
mod health;
pub(crate) mod id;
mod metrics;
mod middleware;
mod negotiate;
mod origins;
mod page;
mod playground;
mod replica;
mod routes;
mod sparql;
mod subgraph;
pub mod timing;
mod write;

pub use error::ApiError;
pub use origins::Origins;

use crate::config::Limits;
use crate::services::catalog::Catalog;
use crate::store::Store;
use actix_web::http::Method;
use actix_web::{App, HttpServer, web};
use arc_swap::ArcSwap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// What every handler may use. Cheap to clone: one per worker thread.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The current read model; a write replaces it whole, and readers keep the snapshot they
    /// started with.
    pub catalog: Arc<ArcSwap<Catalog>>,
    pub schema: graphql::GovSchema,
    pub limits: Limits,
    /// Writes are enabled only with this token.
    pub admin_token: Option<Arc<str>>,
    /// Writers take turns, so that each one's new catalog reflects every earlier write.
    pub write_lock: Arc<tokio::sync::Mutex<()>>,
    /// Whether the catalog's delta is being folded (see `services::writes::fold_when_due`).
    pub folding: Arc<std::sync::atomic::AtomicBool>,
    /// Serve the playground from this directory instead of the embedded bundle (development).
    pub playground_dir: Option<std::path::PathBuf>,
    /// No writes at all, whatever the token.
    pub read_only: bool,
    /// The on-disk store's directory (none in memory), for `/metrics`.
    pub data_dir: Option<std::path::PathBuf>,
    /// Every acknowledged write's changes, for live subscribers. Bounded: a subscriber that
    /// falls behind misses events (and is told how many) instead of slowing writers.
    pub events: tokio::sync::broadcast::Sender<crate::services::changes::GraphChange>,
    /// GraphQL documents already parsed, by their text.
    pub parsed_queries: Arc<graphql::parsed::ParsedQueries>,
    /// The texts of automatic persisted queries, by their hash.
    pub persisted_queries: Arc<graphql::persisted::PersistedQueries>,
    /// For a replica: how often to poll the remote store's dataset version.
    pub poll_interval: Option<std::time::Duration>,
    /// Whether the store answered the last poll (always, for the embedded store).
    pub readiness: Arc<replica::Readiness>,
    /// The stack store work needs within the input limits (see `blocking`).
    pub evaluation_stack: usize,
    /// The browser origins allowed besides the server's own (CORS and WebSocket alike).
    pub origins: Origins,
    /// The dataset's statistics for VoID, with the dataset version they were counted at.
    pub statistics: Arc<id::CountedStatistics>,
}

impl AppState {
    /// Builds the state around the read model of `store` (see [`Catalog::open`]).
    pub fn new(store: Store, catalog: Arc<Catalog>, limits: Limits, admin_token: Option<String>) -> Self {
        let (events, _) = tokio::sync::broadcast::channel(1024);
        Self {
            store,
            catalog: Arc::new(ArcSwap::new(catalog)),
            schema: graphql::schema(limits, events.clone()),
            limits,
            admin_token: admin_token.map(Arc::from),
            write_lock: Arc::new(tokio::sync::Mutex::new(())),
            folding: Arc::default(),
            playground_dir: None,
            read_only: false,
            data_dir: None,
            events,
            parsed_queries: Arc::default(),
            persisted_queries: Arc::new(graphql::persisted::PersistedQueries::new(
                limits.max_persisted_queries,
                limits.max_persisted_query_length,
            )),
            poll_interval: None,
            readiness: Arc::default(),
            evaluation_stack: crate::store::evaluation_stack(&limits.input.limits()),
            origins: Origins::default(),
            statistics: Arc::default(),
        }
    }
}

/// Registers every route.
fn configure(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |config| {
        let max_body = state.limits.max_body;
        config
            .app_data(web::Data::new(state))
            .app_data(web::PayloadConfig::new(max_body));
        routes::Routes::default()
            .get("/healthz", health::healthz)
            .get("/readyz", health::readyz)
            .get("/metrics", metrics::metrics)
            .versioned_get("/graphql", graphql::http::get_or_subscribe)
            .on(Method::POST, "/graphql", graphql::http::post)
            .get("/sparql", sparql::get)
            .on(Method::POST, "/sparql", sparql::post)
            .on(Method::POST, "/sparql/update", sparql::post_update)
            .get("/store", gsp::read)
            .on(Method::PUT, "/store", gsp::write_graph)
            .on(Method::POST, "/store", gsp::write_graph)
            .on(Method::DELETE, "/store", gsp::delete)
            .versioned_get("/export", export::export)
            .versioned_get("/subgraph", subgraph::subgraph)
            .get("/legend", subgraph::legend::serve)
            .versioned_get("/id/{id}", id::resource)
            .versioned_get("/rel/{id}", id::resource)
            .versioned_get("/ns", id::resource)
            .get("/ns/context.jsonld", id::context)
            .versioned_get("/graph/{name:.+}", id::resource)
            .versioned_get("/.well-known/genid/{id}", id::resource)
            .versioned_get("/change/{number}", id::resource)
            .versioned_get("/import/{file}", id::resource)
            .versioned_get("/dataset", id::dataset)
            .versioned_get("/.well-known/void", id::dataset)
            .get("/", playground::root)
            .get("/playground", playground::index)
            .get("/playground/", playground::index)
            .get("/playground/{file}", playground::file)
            .register(config);
        config.default_service(web::to(error::not_found));
    }
}

/// Listens on `bind`, prints `listening on http://HOST:PORT` once it accepts connections, and
/// runs until SIGINT/SIGTERM, on an actix system of its own (the caller needs no runtime).
pub fn serve(state: AppState, bind: SocketAddr, stop_on_stdin_eof: bool) -> io::Result<()> {
    actix_web::rt::System::new().block_on(run(state, bind, stop_on_stdin_eof))
}

async fn run(state: AppState, bind: SocketAddr, stop_on_stdin_eof: bool) -> io::Result<()> {
    blocking::configure(state.evaluation_stack);
    if let Some(interval) = state.poll_interval {
        replica::spawn_poller(state.clone(), interval);
    }
    let metrics = web::Data::new(metrics::Metrics::default());
    let client_timeout = Duration::try_from_secs_f64(state.limits.client_timeout).unwrap_or(Duration::from_secs(10));
    let server = HttpServer::new(move || {
        let cors = state.origins.cors();
        App::new()
            .app_data(metrics.clone())
            .wrap(actix_web::middleware::ErrorHandlers::new().default_handler(middleware::json_errors))
            .wrap(actix_web::middleware::Compress::default())
            .wrap(actix_web::middleware::from_fn(middleware::head_without_body))
            .wrap(actix_web::middleware::Condition::new(
                cors.is_some(),
                cors.unwrap_or_default(),
            ))
            .wrap(actix_web::middleware::from_fn(middleware::observe))
            .wrap(tracing_actix_web::TracingLogger::<middleware::RequestSpan>::new())
            .configure(configure(state.clone()))
    })
    // Slow clients get a bounded time to send their request.
    .client_request_timeout(client_timeout)
    .client_disconnect_timeout(Duration::from_secs(2))
    .keep_alive(Duration::from_secs(30))
    // Our own handlers, installed before the address is announced: actix installs its own only
    // once the server future first runs, and a SIGTERM sent in between would kill the process.
    .disable_signals()
    .bind(bind)?;
    let stop_signals = StopSignals::install()?;
    for address in server.addrs() {
        tracing::info!(%address, "listening");
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "listening on http://{address}")?;
        stdout.flush()?;
    }
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        let name = stop_signals.received().await;
        tracing::info!(signal = name, "stopping gracefully");
        handle.stop(true).await;
    });
    if stop_on_stdin_eof {
        let handle = server.handle();
        actix_web::rt::spawn(async move {
            // Reading to the end (or to an error: a closed descriptor) is all this waits for.
            let _ = actix_web::rt::task::spawn_blocking(|| io::copy(&mut io::stdin().lock(), &mut io::sink())).await;
            // Stop first: the supervisor that closed our input may have closed our output too.
            let stopped = handle.stop(true);
            tracing::info!("standard input closed: stopping");
            stopped.await;
        });
    }
    server.await
}

/// SIGINT and SIGTERM, registered with the runtime (from then on they no longer kill the process).
struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn install() -> io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn received(mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.terminate.recv() => "SIGTERM",
        }
    }
}
