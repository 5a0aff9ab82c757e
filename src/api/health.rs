//! `GET /healthz`: 200 once the server is up (the store is opened and seeded, and the graph
//! projection built, before it listens), with the size and version of the data it serves.

use super::AppState;
use actix_web::{HttpResponse, web};

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let catalog = state.catalog.load();
    HttpResponse::Ok().json(serde_json::json!({
        "status": "ok",
        "entities": catalog.projection.node_count(),
        "relations": catalog.projection.edge_count(),
        "datasetVersion": catalog.version,
    }))
}
