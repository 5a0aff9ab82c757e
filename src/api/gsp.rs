//! The SPARQL 1.1 Graph Store Protocol at `/store?default` and `/store?graph=IRI`: `GET` and
//! `HEAD` for everyone; `PUT` (replace), `POST` (add) and `DELETE` with the admin token, each
//! atomic and followed by a fresh projection.

use super::negotiate::{choose, preferences};
use super::write::{require_admin, write};
use super::{ApiError, AppState};
use crate::services::changes::Touched;
use crate::services::writes::Written;
use crate::store::{GraphTarget, InputLimits, RdfDocument, SparqlFormat};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

/// Which graph the query string names: exactly one of `default` and `graph=IRI`, or neither
/// (`None`: the graph store itself, which only `POST` addresses).
fn target(request: &HttpRequest) -> Result<Option<GraphTarget>, ApiError> {
    let mut default = false;
    let mut graph = None;
    for (key, value) in form_urlencoded::parse(request.query_string().as_bytes()) {
        match key.as_ref() {
            "default" => default = true,
            "graph" if graph.is_none() => graph = Some(value.into_owned()),
            "graph" => return Err(ApiError::BadRequest("name one graph only".to_owned())),
            _ => {}
        }
    }
    match (default, graph) {
        (true, None) => Ok(Some(GraphTarget::Default)),
        (false, Some(iri)) => Ok(Some(GraphTarget::named(&iri)?)),
        (false, None) => Ok(None),
        (true, Some(_)) => Err(ApiError::BadRequest(
            "name the graph with either `?default` or `?graph=IRI`, not both".to_owned(),
        )),
    }
}

/// The graph a `GET`, `PUT` or `DELETE` names.
fn named_target(request: &HttpRequest) -> Result<GraphTarget, ApiError> {
    target(request)?.ok_or_else(no_graph_named)
}

fn no_graph_named() -> ApiError {
    ApiError::BadRequest("name the graph with either `?default` or `?graph=IRI`".to_owned())
}

const GRAPH_FORMATS: &[(SparqlFormat, &[&str])] = &[
    (SparqlFormat::Turtle, &["text/turtle", "application/x-turtle"]),
    (SparqlFormat::NTriples, &["application/n-triples", "text/plain"]),
    (SparqlFormat::RdfXml, &["application/rdf+xml"]),
    (SparqlFormat::JsonLd, &["application/ld+json"]),
];

/// `GET` and `HEAD`.
pub async fn read(request: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let target = named_target(&request)?;
    let format = choose(&preferences(&request), GRAPH_FORMATS, SparqlFormat::Turtle).ok_or_else(|| {
        ApiError::NotAcceptable("graphs are served as Turtle, N-Triples, RDF/XML or JSON-LD".to_owned())
    })?;
    let store = state.store.clone();
    let lookup = target.clone();
    let body = super::blocking::on_pool(move || store.graph_document(&lookup, format)).await??;
    let Some(body) = body else {
        return Err(ApiError::NotFound(format!("there is no graph {target}")));
    };
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CONTENT_TYPE, format!("{}; charset=utf-8", format.media_type())));
    response.insert_header((header::VARY, HeaderValue::from_static("Accept")));
    // For a HEAD, actix sends the body's length and not the body.
    Ok(response.body(body))
}

/// `PUT` replaces the graph, `POST` adds to it; a `POST` to the graph store itself creates a
/// new graph and answers `201 Created` with its `Location`. The body is one RDF document, or a
/// `multipart/form-data` body of several, each in the format of its part's media type.
pub async fn write_graph(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&request, &state)?;
    let replace = request.method() == Method::PUT;
    let (target, minted) = match target(&request)? {
        Some(target) => (target, false),
        None if replace => return Err(no_graph_named()),
        None => (GraphTarget::minted(), true),
    };
    let documents = documents(&request, body, &target, state.limits.input.limits()).await?;
    let written = target.clone();
    let (created, _) = write(&state, move |store, _| {
        let (created, changed) = store.write_graph(&written, &documents, replace)?;
        Ok(Written::compared(created, Touched::from(changed)))
    })
    .await?;
    if minted && let GraphTarget::Named(graph) = &target {
        let location = format!(
            "/store?graph={}",
            form_urlencoded::byte_serialize(graph.as_str().as_bytes()).collect::<String>()
        );
        return Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .finish());
    }
    Ok(if created {
        HttpResponse::Created().finish()
    } else {
        HttpResponse::NoContent().finish()
    })
}

/// The RDF documents of a write's body.
async fn documents(
    request: &HttpRequest,
    body: web::Bytes,
    target: &GraphTarget,
    limits: InputLimits,
) -> Result<Vec<RdfDocument>, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let media_type = content_type.split(';').next().map(str::trim).unwrap_or_default();
    if !media_type.eq_ignore_ascii_case("multipart/form-data") {
        return Ok(vec![RdfDocument::from_body(
            body.to_vec(),
            media_type,
            None,
            target,
            limits,
        )?]);
    }
    let malformed = |error: multer::Error| ApiError::BadRequest(format!("the multipart body is malformed: {error}"));
    let boundary = multer::parse_boundary(content_type).map_err(malformed)?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut documents = Vec::new();
    while let Some(part) = parts.next_field().await.map_err(malformed)? {
        let media_type = part
            .content_type()
            .map(|mime| mime.essence_str().to_owned())
            .unwrap_or_default();
        let file_name = part.file_name().map(str::to_owned);
        let bytes = part.bytes().await.map_err(malformed)?;
        documents.push(RdfDocument::from_body(
            bytes.to_vec(),
            &media_type,
            file_name.as_deref(),
            target,
            limits,
        )?);
    }
    if documents.is_empty() {
        return Err(ApiError::BadRequest("the multipart body has no parts".to_owned()));
    }
    Ok(documents)
}

/// `DELETE` removes the graph.
pub async fn delete(request: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require_admin(&request, &state)?;
    let target = named_target(&request)?;
    let description = target.to_string();
    let (existed, _) = write(&state, move |store, _| {
        let (existed, changed) = store.delete_graph(&target)?;
        Ok(Written::compared(existed, Touched::from(changed)))
    })
    .await?;
    if existed {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound(format!("there is no graph {description}")))
    }
}
