//! `/playground`: the offline GraphiQL and graph view, served from the bundle compiled into the
//! binary (`playground/dist/`, embedded by `build.rs`). `index.html` is always revalidated; the
//! other files have content-hashed names and are cached for a year. `/` redirects here.

use super::{ApiError, AppState};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use std::borrow::Cow;

mod bundle {
    include!(concat!(env!("OUT_DIR"), "/playground.rs"));
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        _ => "application/octet-stream",
    }
}

/// A file of the bundle: from `--playground-dir` when developing, else from the binary. Names
/// are plain file names; anything with a path separator is refused, so nothing outside the
/// bundle can be reached.
fn asset(state: &AppState, name: &str) -> Option<Cow<'static, [u8]>> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    match &state.playground_dir {
        Some(dir) => std::fs::read(dir.join(name)).ok().map(Cow::Owned),
        None => bundle::PLAYGROUND
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, bytes)| Cow::Borrowed(*bytes)),
    }
}

fn serve(state: &AppState, name: &str, cache: &'static str) -> Result<HttpResponse, ApiError> {
    let body = asset(state, name).ok_or_else(|| ApiError::NotFound(format!("the playground has no file `{name}`")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type(name)))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(body.into_owned()))
}

pub async fn index(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    serve(&state, "index.html", "no-cache")
}

pub async fn file(path: web::Path<String>, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let name = path.into_inner();
    let cache = if name == "index.html" {
        "no-cache"
    } else {
        "public, max-age=31536000, immutable"
    };
    serve(&state, &name, cache)
}

/// `/` sends people to the playground.
pub async fn root(request: HttpRequest) -> HttpResponse {
    let query = request.query_string();
    let location = if query.is_empty() {
        "/playground".to_owned()
    } else {
        format!("/playground?{query}")
    };
    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundle_has_an_index_page_with_the_graph_view() {
        let index = super::bundle::PLAYGROUND
            .iter()
            .find(|(name, _)| *name == "index.html")
            .map(|(_, bytes)| *bytes);
        let index = String::from_utf8_lossy(index.expect("playground/dist/index.html is embedded"));
        assert!(index.contains("graph-view") || index.contains("<script"), "{index}");
    }
}
