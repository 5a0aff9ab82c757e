//! `GET /healthz`: 200 once the server is up (the store is opened and seeded, and the graph
//! projection built, before it listens), with the size and version of the data it serves.
//! `GET /readyz`: 200 while the server can serve current data; 503 with the reason while a
//! replica cannot reach its SPARQL store (a load balancer then sends requests elsewhere). While
//! the disk is full the server still serves reads: 200, `"status": "degraded"`, and why writes
//! fail.

use super::AppState;
use actix_web::{HttpResponse, web};

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let catalog = state.catalog.load();
    HttpResponse::Ok().json(serde_json::json!({
        "status": "ok",
        "entities": catalog.entity_count(),
        "relations": catalog.relation_count(),
        "datasetVersion": catalog.version,
    }))
}

pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.store.remote_endpoint().unwrap_or("embedded");
    match state.readiness.problem() {
        None => {
            let writes = state.readiness.writes_problem();
            HttpResponse::Ok().json(serde_json::json!({
                "status": if writes.is_some() { "degraded" } else { "ready" },
                "store": backend,
                "datasetVersion": state.catalog.load().version,
                "writes": match writes {
                    Some(reason) => serde_json::json!({ "status": "refused", "code": crate::error_code::ErrorCode::StorageFull.as_str(), "reason": reason }),
                    None => serde_json::json!({ "status": "ok" }),
                },
            }))
        }
        Some(reason) => HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "status": "unavailable",
            "store": backend,
            "reason": reason,
        })),
    }
}
