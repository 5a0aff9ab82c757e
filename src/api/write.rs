//! Writes: who may make them (the admin bearer token, compared in constant time), and how they
//! run — one at a time, on a blocking thread, followed by a new catalog swapped in before the
//! response, so the very next request sees the change and no reader ever waits.

use super::{ApiError, AppState};
use crate::services::catalog::Catalog;
use crate::store::{Store, StoreError};
use actix_web::HttpRequest;
use actix_web::http::header;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Allows the request only with `Authorization: Bearer <admin token>`.
pub fn require_admin(request: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    let Some(credentials) = request.headers().get(header::AUTHORIZATION) else {
        return Err(ApiError::Unauthenticated(
            "writing needs the admin token: send `Authorization: Bearer TOKEN`".to_owned(),
        ));
    };
    let presented = credentials
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let allowed = match (&state.admin_token, presented) {
        (Some(expected), Some(presented)) => bool::from(expected.as_bytes().ct_eq(presented.as_bytes())),
        _ => false,
    };
    if allowed {
        Ok(())
    } else if state.admin_token.is_none() {
        Err(ApiError::Forbidden(
            "this server is read-only (it was started without --admin-token)".to_owned(),
        ))
    } else {
        Err(ApiError::Forbidden("the token does not allow writing".to_owned()))
    }
}

/// Runs a write and refreshes the catalog, holding the write lock throughout.
pub async fn write<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let _guard = state.write_lock.lock().await;
    let store = state.store.clone();
    let (result, catalog) = actix_web::web::block(move || {
        let result = work(&store)?;
        let catalog = Catalog::load(&store)?;
        Ok::<_, StoreError>((result, catalog))
    })
    .await??;
    state.catalog.store(Arc::new(catalog));
    Ok(result)
}
