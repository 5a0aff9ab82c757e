//! Dereferencing: every IRI govgraph mints answers where its path says, by content negotiation.
//! Entities (`/id/`) and relations (`/rel/`) under the configured base; the vocabulary (`/ns`),
//! graphs (`/graph/`), Skolem IRIs (`/.well-known/genid/`), change-log entries (`/change/`) and
//! imported files (`/import/`) at their w3id paths; the dataset (`/dataset`, and VoID's
//! `/.well-known/void`); the service (`GET /sparql` without a query). Linked-data clients get
//! Turtle (the default), JSON-LD, N-Triples or RDF/XML; browsers get a readable page. The w3id
//! IRIs resolve here when w3id.org redirects them to this server.

use super::negotiate::{choose, preferences};
use super::{ApiError, AppState, page};
use crate::model::Relation;
use crate::store::vocab::{self, DEFAULT_BASE};
use crate::store::{Described, Site, SparqlFormat, Statistics, StoreError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use std::sync::{Arc, Mutex};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Representation {
    Html,
    Rdf(SparqlFormat),
}

const REPRESENTATIONS: &[(Representation, &[&str])] = &[
    (
        Representation::Rdf(SparqlFormat::Turtle),
        &["text/turtle", "application/x-turtle"],
    ),
    (
        Representation::Rdf(SparqlFormat::JsonLd),
        &["application/ld+json", "application/json"],
    ),
    (Representation::Rdf(SparqlFormat::NTriples), &["application/n-triples"]),
    (Representation::Rdf(SparqlFormat::RdfXml), &["application/rdf+xml"]),
    (Representation::Html, &["text/html", "application/xhtml+xml"]),
];

/// `?format=` overrides `Accept`, for links a browser can follow.
#[derive(Deserialize)]
pub struct FormatParams {
    format: Option<String>,
}

/// The representation asked for by `?format=`, else by `Accept` (`None`: nothing acceptable).
fn representation(request: &HttpRequest, format: Option<&str>) -> Result<Option<Representation>, ApiError> {
    Ok(Some(match format {
        Some("html") => Representation::Html,
        Some("turtle" | "ttl") => Representation::Rdf(SparqlFormat::Turtle),
        Some("jsonld") => Representation::Rdf(SparqlFormat::JsonLd),
        Some("ntriples" | "nt") => Representation::Rdf(SparqlFormat::NTriples),
        Some("rdfxml" | "rdf") => Representation::Rdf(SparqlFormat::RdfXml),
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "unknown format `{other}` (html, turtle, jsonld, ntriples, rdfxml)"
            )));
        }
        None => {
            return Ok(choose(
                &preferences(request),
                REPRESENTATIONS,
                Representation::Rdf(SparqlFormat::Turtle),
            ));
        }
    }))
}

fn not_acceptable() -> ApiError {
    ApiError::NotAcceptable("this is served as Turtle, JSON-LD, N-Triples, RDF/XML or HTML".to_owned())
}

fn nothing_at(path: &str) -> ApiError {
    ApiError::NotFound(format!("there is nothing at {path}"))
}

/// Where this server is reached: its base when one was configured (it is then served at its
/// base), else the address the client used.
fn site(request: &HttpRequest, state: &AppState) -> Site {
    Site {
        root: site_root(request),
        updates: state.admin_token.is_some() && !state.read_only,
    }
}

/// The root URL (ending in `/`) under which this server is reached.
pub(crate) fn site_root(request: &HttpRequest) -> String {
    if vocab::base() == DEFAULT_BASE {
        let connection = request.connection_info();
        format!("{}://{}/", connection.scheme(), connection.host())
    } else {
        vocab::base().to_owned()
    }
}

/// `GET` on a minted IRI's path.
pub async fn resource(
    request: HttpRequest,
    params: web::Query<FormatParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let representation = representation(&request, params.format.as_deref())?.ok_or_else(not_acceptable)?;
    let path = request.uri().path();
    let iri = vocab::iri_for_path(path).ok_or_else(|| nothing_at(path))?;
    let site = site(&request, &state);
    let store = state.store.clone();
    let wanted = iri.clone();
    let described = super::blocking::on_pool(move || store.describe_iri(&wanted, &site)).await??;
    let described = described.ok_or_else(|| nothing_at(path))?;
    respond(&request, &state, representation, described, Shown::Resource(iri)).await
}

/// `GET /dataset` and `/.well-known/void`: the dataset's VoID description.
pub async fn dataset(
    request: HttpRequest,
    params: web::Query<FormatParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let representation = representation(&request, params.format.as_deref())?.ok_or_else(not_acceptable)?;
    let statistics = statistics(&state).await?;
    let site = site(&request, &state);
    let store = state.store.clone();
    let described = super::blocking::on_pool(move || store.describe_dataset(&statistics, &site)).await??;
    respond(&request, &state, representation, described, Shown::Dataset).await
}

/// `GET /sparql` without a query: the SPARQL 1.1 Service Description, to any client that accepts
/// RDF or a page; one that accepts only query results was missing its query.
pub async fn service(request: &HttpRequest, state: &AppState) -> Result<HttpResponse, ApiError> {
    let Some(representation) = representation(request, None)? else {
        return Err(ApiError::BadRequest(
            "give a SPARQL query in the `query` parameter (without one, /sparql describes itself as Turtle, JSON-LD, N-Triples, RDF/XML or HTML)".to_owned(),
        ));
    };
    let site = site(request, state);
    let store = state.store.clone();
    let described = super::blocking::on_pool(move || store.describe_service(&site)).await??;
    let endpoint = format!("{}sparql", site_root(request));
    respond(request, state, representation, described, Shown::Service(endpoint)).await
}

/// `GET /ns/context.jsonld`: the JSON-LD context every compact document of govgraph carries.
pub async fn context() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/ld+json"))
        .json(serde_json::json!({ "@context": crate::store::jsonld_context() }))
}

/// The dataset's statistics and the dataset version they were counted at.
#[derive(Default)]
pub struct CountedStatistics(Mutex<Option<(String, Arc<Statistics>)>>);

/// The dataset's statistics, counted once per dataset version.
async fn statistics(state: &AppState) -> Result<Arc<Statistics>, ApiError> {
    let version = state.catalog.load().version.clone();
    if let Ok(cached) = state.statistics.0.lock()
        && let Some((counted_at, statistics)) = cached.as_ref()
        && *counted_at == version
    {
        return Ok(statistics.clone());
    }
    let store = state.store.clone();
    let statistics = Arc::new(super::blocking::on_pool(move || store.statistics()).await??);
    if let Ok(mut cached) = state.statistics.0.lock() {
        *cached = Some((version, statistics.clone()));
    }
    Ok(statistics)
}

/// What a page is about.
enum Shown {
    Resource(String),
    Dataset,
    /// The service, at its endpoint's address.
    Service(String),
}

async fn respond(
    request: &HttpRequest,
    state: &AppState,
    representation: Representation,
    described: Described,
    shown: Shown,
) -> Result<HttpResponse, ApiError> {
    let format = match representation {
        Representation::Rdf(format) => format,
        Representation::Html => SparqlFormat::JsonLd,
    };
    // RFC 8574: what to cite for this page is the resource's persistent IRI, whichever address
    // and format it was read at (a relation's `cite` field gives the full citation).
    let cite_as = match &shown {
        Shown::Resource(iri) => Some(format!("<{iri}>; rel=\"cite-as\"")),
        Shown::Dataset | Shown::Service(_) => None,
    };
    let (described, document) = super::blocking::on_pool(move || -> Result<_, StoreError> {
        let document = described.write(format)?;
        Ok((described, document))
    })
    .await??;
    let (content_type, body) = match representation {
        Representation::Rdf(format) => (format!("{}; charset=utf-8", format.media_type()), document),
        Representation::Html => (
            "text/html; charset=utf-8".to_owned(),
            html(state, &described, &document, shown).await?.into_bytes(),
        ),
    };
    let mut response = HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .body(body);
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    if representation == Representation::Rdf(SparqlFormat::JsonLd) {
        // The context the document carries inline, by its stable address.
        let link = format!(
            "<{}ns/context.jsonld>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"",
            site_root(request)
        );
        if let Ok(value) = HeaderValue::from_str(&link) {
            headers.append(header::LINK, value);
        }
    }
    if let Some(value) = cite_as.and_then(|link| HeaderValue::from_str(&link).ok()) {
        headers.append(header::LINK, value);
    }
    Ok(response)
}

async fn html(state: &AppState, described: &Described, jsonld: &[u8], shown: Shown) -> Result<String, ApiError> {
    let statements = described.statements();
    Ok(match shown {
        Shown::Dataset => page::statements(
            "The govgraph dataset",
            vocab::DATASET.as_str(),
            "Its VoID description: licence, addresses, vocabularies and statistics.",
            &statements,
            jsonld,
        ),
        Shown::Service(endpoint) => page::statements(
            "SPARQL endpoint",
            &endpoint,
            "Send a SPARQL query in the `query` parameter (GET or POST). Its SPARQL 1.1 Service Description:",
            &statements,
            jsonld,
        ),
        Shown::Resource(iri) => {
            if let Some(id) = iri.strip_prefix(vocab::id_namespace())
                && let Some(html) = entity_page(state, id, jsonld).await?
            {
                return Ok(html);
            }
            if let Some(id) = iri.strip_prefix(vocab::rel_namespace())
                && let Some(html) = relation_page(state, id, jsonld).await?
            {
                return Ok(html);
            }
            page::statements(&iri, &iri, "What govgraph says of it:", &statements, jsonld)
        }
    })
}

fn labeller(state: &AppState) -> impl Fn(&str) -> String {
    let catalog = state.catalog.load_full();
    move |id: &str| {
        catalog
            .summary(id)
            .map_or_else(|| id.to_owned(), |summary| summary.label().to_owned())
    }
}

/// The entity and its relations, read from the store in two batches; `None` if it is none.
async fn entity_page(state: &AppState, id: &str, jsonld: &[u8]) -> Result<Option<String>, ApiError> {
    let relation_ids = state.catalog.load().relations_of(id, None);
    let store = state.store.clone();
    let wanted = id.to_owned();
    let (entity, relations) = super::blocking::on_pool(move || -> Result<_, StoreError> {
        let entity = store.entities(std::slice::from_ref(&wanted))?.remove(&wanted);
        let mut relations: Vec<Relation> = store.relations(&relation_ids)?.into_values().collect();
        relations.sort_by(|a, b| a.id.cmp(&b.id));
        Ok((entity, relations))
    })
    .await??;
    Ok(entity.map(|entity| page::entity(&entity, &relations, &labeller(state), jsonld)))
}

async fn relation_page(state: &AppState, id: &str, jsonld: &[u8]) -> Result<Option<String>, ApiError> {
    let store = state.store.clone();
    let wanted = id.to_owned();
    let relation = super::blocking::on_pool(move || {
        store
            .relations(std::slice::from_ref(&wanted))
            .map(|mut r| r.remove(&wanted))
    })
    .await??;
    Ok(relation.map(|relation| page::relation(&relation, &labeller(state), jsonld)))
}
