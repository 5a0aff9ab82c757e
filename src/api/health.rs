//! `GET /healthz`: 200 once the server is up (the store is opened and seeded before it listens).

use super::{ApiError, AppState};
use actix_web::{HttpResponse, web};

pub async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let store = state.store.clone();
    let quads = web::block(move || store.len()).await??;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ok", "quads": quads })))
}
