//! `GET /metrics` in the Prometheus text format: requests, latencies and errors by route (and by
//! error code, GraphQL's included, which answer 200), the build and the dataset version, the size
//! of the graph and of the store on disk, live subscribers.

use super::AppState;
use crate::error_code::ErrorCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

type Labels = Vec<(String, String)>;

fn latency_histogram() -> Histogram {
    // From 0.25 ms to about 8 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

pub struct Metrics {
    registry: Registry,
    requests: Family<Labels, Counter>,
    errors: Family<Labels, Counter>,
    error_codes: Family<Labels, Counter>,
    graphql_errors: Family<Labels, Counter>,
    dataset: Family<Labels, Gauge>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    entities: Gauge,
    relations: Gauge,
    subscribers: Gauge,
    store_bytes: Gauge<u64, AtomicU64>,
    projection_bytes: Gauge<u64, AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut metrics = Self {
            registry: Registry::with_prefix("govgraph"),
            requests: Family::default(),
            errors: Family::default(),
            error_codes: Family::default(),
            graphql_errors: Family::default(),
            dataset: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            entities: Gauge::default(),
            relations: Gauge::default(),
            subscribers: Gauge::default(),
            store_bytes: Gauge::default(),
            projection_bytes: Gauge::default(),
        };
        let registry = &mut metrics.registry;
        registry.register(
            "http_requests",
            "HTTP requests by method, route and status",
            metrics.requests.clone(),
        );
        registry.register(
            "http_errors",
            "HTTP responses with a 5xx status, by route",
            metrics.errors.clone(),
        );
        registry.register(
            "http_error_codes",
            "Error responses by route and error code (the body's error.code: TIMEOUT on /sparql is a query over its time budget)",
            metrics.error_codes.clone(),
        );
        registry.register(
            "graphql_errors",
            "GraphQL errors by extensions.code (GraphQL answers them with 200, so the HTTP counters miss them)",
            metrics.graphql_errors.clone(),
        );
        let build = Family::<Labels, Gauge>::default();
        build
            .get_or_create(&vec![("version".to_owned(), env!("CARGO_PKG_VERSION").to_owned())])
            .set(1);
        registry.register("build_info", "The running build: 1, labelled with its version", build);
        registry.register(
            "dataset_info",
            "The dataset version answers are computed from: 1, labelled with the version",
            metrics.dataset.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer, by method and route",
            metrics.latency.clone(),
        );
        registry.register(
            "entities",
            "Entities in the current graph projection",
            metrics.entities.clone(),
        );
        registry.register(
            "relations",
            "Relations in the current graph projection",
            metrics.relations.clone(),
        );
        registry.register(
            "subscribers",
            "Live graphChanged subscriptions",
            metrics.subscribers.clone(),
        );
        registry.register(
            "store_disk_bytes",
            "Size of the on-disk store (0 in memory)",
            metrics.store_bytes.clone(),
        );
        registry.register(
            "projection_bytes",
            "Approximate heap size of the graph projection (structure and ids)",
            metrics.projection_bytes.clone(),
        );
        metrics
    }
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let labels = vec![
            ("method".to_owned(), method.to_owned()),
            ("route".to_owned(), route.to_owned()),
        ];
        self.latency.get_or_create(&labels).observe(elapsed.as_secs_f64());
        let mut with_status = labels.clone();
        with_status.push(("status".to_owned(), status.to_string()));
        self.requests.get_or_create(&with_status).inc();
        if status >= 500 {
            self.errors.get_or_create(&labels).inc();
        }
    }

    /// Counts an error answer by the route it came from and its code in the error table.
    pub fn error_code(&self, route: &str, code: ErrorCode) {
        let labels = vec![
            ("route".to_owned(), route.to_owned()),
            ("code".to_owned(), code.as_str().to_owned()),
        ];
        self.error_codes.get_or_create(&labels).inc();
    }

    /// Counts a GraphQL error by its `extensions.code`.
    pub fn graphql_error(&self, code: &str) {
        self.graphql_errors
            .get_or_create(&vec![("code".to_owned(), code.to_owned())])
            .inc();
    }
}

fn directory_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.metadata().ok())
                .filter(std::fs::Metadata::is_file)
                .map(|metadata| metadata.len())
                .sum()
        })
        .unwrap_or(0)
}

pub async fn metrics(state: web::Data<AppState>, metrics: web::Data<Metrics>) -> HttpResponse {
    let catalog = state.catalog.load();
    metrics
        .entities
        .set(i64::try_from(catalog.entity_count()).unwrap_or(i64::MAX));
    metrics
        .relations
        .set(i64::try_from(catalog.relation_count()).unwrap_or(i64::MAX));
    metrics
        .projection_bytes
        .set(u64::try_from(catalog.projection_bytes()).unwrap_or(u64::MAX));
    // One series, for the version now served (the old one is dropped, not left at 1).
    metrics.dataset.clear();
    metrics
        .dataset
        .get_or_create(&vec![("version".to_owned(), catalog.version.clone())])
        .set(1);
    metrics
        .subscribers
        .set(i64::try_from(state.events.receiver_count()).unwrap_or(i64::MAX));
    let data_dir = state.data_dir.clone();
    let bytes = super::blocking::on_pool(move || data_dir.as_deref().map_or(0, directory_size))
        .await
        .unwrap_or(0);
    metrics.store_bytes.set(bytes);
    let mut body = String::new();
    if let Err(error) = encode(&mut body, &metrics.registry) {
        tracing::error!(%error, "encoding metrics failed");
    }
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        ))
        .body(body)
}
