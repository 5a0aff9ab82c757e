//! The SPARQL 1.1 Graph Store Protocol at `/store?default` and `/store?graph=IRI`: `GET` and
//! `HEAD` for everyone; `PUT` (replace), `POST` (add) and `DELETE` with the admin token, each
//! atomic and followed by a fresh projection.

use super::negotiate::{choose, preferences};
use super::write::{require_admin, write};
use super::{ApiError, AppState};
use crate::services::catalog::{Touched, changes};
use crate::store::{GraphTarget, RdfDocument, SparqlFormat};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

/// Which graph the query string names: exactly one of `default` and `graph=IRI`.
fn target(request: &HttpRequest) -> Result<GraphTarget, ApiError> {
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
        (true, None) => Ok(GraphTarget::Default),
        (false, Some(iri)) => Ok(GraphTarget::named(&iri)?),
        _ => Err(ApiError::BadRequest(
            "name the graph with either `?default` or `?graph=IRI`".to_owned(),
        )),
    }
}

const GRAPH_FORMATS: &[(SparqlFormat, &[&str])] = &[
    (SparqlFormat::Turtle, &["text/turtle", "application/x-turtle"]),
    (SparqlFormat::NTriples, &["application/n-triples", "text/plain"]),
    (SparqlFormat::RdfXml, &["application/rdf+xml"]),
    (SparqlFormat::JsonLd, &["application/ld+json"]),
];

/// `GET` and `HEAD`.
pub async fn read(request: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let target = target(&request)?;
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
    if request.method() == Method::HEAD {
        response.insert_header((header::CONTENT_LENGTH, body.len()));
        return Ok(response.finish());
    }
    Ok(response.body(body))
}

/// `PUT` replaces the graph, `POST` adds to it.
pub async fn write_graph(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&request, &state)?;
    let target = target(&request)?;
    let media_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let document = RdfDocument::from_body(body.to_vec(), &media_type, &target, state.limits.input.limits())?;
    let replace = request.method() == Method::PUT;
    let (created, _) = write(
        &state,
        move |store, _| Ok((store.write_graph(&target, &document, replace)?, Touched::Everything)),
        |_, before, after| changes(before, after),
    )
    .await?;
    Ok(if created {
        HttpResponse::Created().finish()
    } else {
        HttpResponse::NoContent().finish()
    })
}

/// `DELETE` removes the graph.
pub async fn delete(request: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    require_admin(&request, &state)?;
    let target = target(&request)?;
    let description = target.to_string();
    let (existed, _) = write(
        &state,
        move |store, _| Ok((store.delete_graph(&target)?, Touched::Everything)),
        |_, before, after| changes(before, after),
    )
    .await?;
    if existed {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound(format!("there is no graph {description}")))
    }
}
