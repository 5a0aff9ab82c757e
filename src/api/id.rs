//! `GET /id/{id}`: an entity's IRI dereferenced. Linked-data clients get its description as
//! Turtle (the default), JSON-LD, N-Triples or RDF/XML; browsers get a readable page. The
//! entity IRIs `https://w3id.org/govgraph/id/{id}` resolve here when w3id.org redirects them to
//! this server's `/id/`.

use super::negotiate::{choose, preferences};
use super::{ApiError, AppState};
use crate::model::{Entity, Relation};
use crate::store::SparqlFormat;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use quick_xml::escape::escape;
use serde::Deserialize;
use std::fmt::Write as _;

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
pub struct IdParams {
    format: Option<String>,
}

pub async fn entity(
    request: HttpRequest,
    path: web::Path<String>,
    params: web::Query<IdParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let representation = match params.format.as_deref() {
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
        None => choose(
            &preferences(&request),
            REPRESENTATIONS,
            Representation::Rdf(SparqlFormat::Turtle),
        )
        .ok_or_else(|| {
            ApiError::NotAcceptable("an entity is served as Turtle, JSON-LD, N-Triples, RDF/XML or HTML".to_owned())
        })?,
    };
    let (content_type, body) = match representation {
        Representation::Rdf(format) => {
            let store = state.store.clone();
            let lookup = id.clone();
            let document = super::blocking::on_pool(move || store.entity_document(&lookup, format)).await??;
            let Some(document) = document else {
                return Err(unknown(&id));
            };
            (format!("{}; charset=utf-8", format.media_type()), document)
        }
        Representation::Html => (
            "text/html; charset=utf-8".to_owned(),
            page(&state, &id).await?.into_bytes(),
        ),
    };
    let mut response = HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .body(body);
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

fn unknown(id: &str) -> ApiError {
    ApiError::NotFound(format!("there is no entity `{id}`"))
}

/// The entity and its relations, read from the store in two batches.
async fn page(state: &AppState, id: &str) -> Result<String, ApiError> {
    let catalog = state.catalog.load_full();
    let relation_ids = catalog.relations_of(id, None);
    let store = state.store.clone();
    let wanted = id.to_owned();
    let (entity, relations) = super::blocking::on_pool(move || -> Result<_, crate::store::StoreError> {
        let entity = store.entities(std::slice::from_ref(&wanted))?.remove(&wanted);
        let mut relations: Vec<Relation> = store.relations(&relation_ids)?.into_values().collect();
        relations.sort_by(|a, b| a.id.cmp(&b.id));
        Ok((entity, relations))
    })
    .await??;
    let Some(entity) = entity else { return Err(unknown(id)) };
    let label_of = |other: &str| {
        catalog
            .summary(other)
            .map_or_else(|| other.to_owned(), |s| s.label().to_owned())
    };
    Ok(render(&entity, &relations, &label_of))
}

fn text(value: &str) -> String {
    escape(value).into_owned()
}

fn render(entity: &Entity, relations: &[Relation], label_of: &dyn Fn(&str) -> String) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{label} · govgraph</title>\
         <link rel=\"alternate\" type=\"text/turtle\" href=\"?format=turtle\">\
         <style>body{{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}}\
         a{{color:#1a5fb4}}.meta{{color:#555}}dt{{font-weight:600;margin-top:.5rem}}li{{margin:.4rem 0}}\
         blockquote{{margin:.2rem 0 .2rem 1rem;color:#444;font-style:italic}}small{{color:#666}}</style></head><body>\
         <p><a href=\"/playground\">govgraph</a></p><h1>{label}</h1>",
        label = text(&entity.label)
    );
    let mut facts = vec![entity.kind.name().replace('_', " ")];
    if let Some(openness) = entity.openness {
        facts.push(match openness {
            crate::model::Openness::Open => "open or partially open".to_owned(),
            crate::model::Openness::Closed => "closed or partially closed".to_owned(),
        });
    }
    match (entity.start_date, entity.end_date) {
        (Some(start), Some(end)) => facts.push(format!("{start} – {end}")),
        (Some(start), None) => facts.push(start.to_string()),
        _ => {}
    }
    if let Some(location) = &entity.location {
        facts.push(location.clone());
    }
    let _ = write!(html, "<p class=\"meta\">{}</p>", text(&facts.join(" · ")));
    if let Some(description) = &entity.description {
        let _ = write!(html, "<p>{}</p>", text(description));
    }
    html.push_str("<dl>");
    let mut fact = |name: &str, value: &str| {
        let _ = write!(html, "<dt>{}</dt><dd>{}</dd>", text(name), text(value));
    };
    if !entity.aliases.is_empty() {
        fact("Also called", &entity.aliases.join("; "));
    }
    if let Some(note) = &entity.openness_note {
        fact("Why open or closed", note);
    }
    if let Some(note) = &entity.date_note {
        fact("About the date", note);
    }
    if let Some(identifier) = &entity.identifier {
        fact("Document symbol", identifier);
    }
    fact("IRI", &entity.iri);
    html.push_str("</dl>");
    let _ = write!(html, "<h2>Relations ({})</h2><ul>", relations.len());
    for relation in relations {
        let end = |id: &str| format!("<a href=\"/id/{}\">{}</a>", text(id), text(&label_of(id)));
        let _ = write!(
            html,
            "<li>{} <strong>{}</strong> {} <small>({} relation{})</small>{}</li>",
            end(&relation.source),
            text(&relation.predicate_label),
            end(&relation.target),
            relation.kind.name(),
            relation
                .evidence_type
                .map(|e| format!(", {}", e.name()))
                .unwrap_or_default(),
            citations(&relation.citations)
        );
    }
    html.push_str("</ul><h2>Sources</h2>");
    html.push_str(&citations(&entity.citations));
    html.push_str(
        "<p><small>Also as <a href=\"?format=turtle\">Turtle</a>, <a href=\"?format=jsonld\">JSON-LD</a>, \
         <a href=\"?format=ntriples\">N-Triples</a>, <a href=\"?format=rdfxml\">RDF/XML</a>.</small></p></body></html>\n",
    );
    html
}

fn citations(citations: &[crate::model::Citation]) -> String {
    if citations.is_empty() {
        return String::new();
    }
    let mut html = String::from("<ul>");
    for citation in citations {
        let document = if citation.document.starts_with("http") {
            format!(
                "<a href=\"{0}\">{1}</a>",
                text(&citation.document),
                text(citation.title.as_deref().unwrap_or(&citation.document))
            )
        } else {
            text(&citation.document)
        };
        let _ = write!(html, "<li>{document}");
        if let Some(quote) = &citation.quote {
            let _ = write!(html, "<blockquote>“{}”</blockquote>", text(quote));
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}
