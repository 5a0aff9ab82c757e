//! `GET /subgraph?root=REF&depth=N&format=F` (or `all=true` for the whole graph): the same
//! selection as GraphQL `subgraph`, in the formats visualization tools read — Cytoscape.js JSON,
//! GraphML, GEXF, Graphviz DOT, CSV edge and node tables (Gephi), JSON-LD — each with the one
//! list of attributes (`attributes`), styled per the ICANN diagram's legend (`legend`, which
//! `GET /legend` also serves to the playground), and each saying when the node limit truncated
//! the selection (in the body where the format has a place, and in `X-Govgraph-Truncated`).

mod attributes;
mod cytoscape;
mod dot;
mod gexf;
mod graphml;
mod jsonld;
pub mod legend;
mod parameters;
mod tables;
mod xml;

use super::{ApiError, AppState};
use crate::model::{Entity, Relation};
use crate::services::explore::{FoundSubgraph, QueryError};
use crate::store::{SparqlFormat, Store, StoreError};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use attributes::Node;
use parameters::{Format, Parameters};
use std::collections::HashMap;

/// A drawn subgraph: entities and the relations between them, in the selection's order.
pub struct Drawing {
    pub nodes: Vec<Node>,
    pub relations: Vec<Relation>,
    pub truncated: bool,
}

/// The selection, and each entity's degree in the whole graph, from the catalog.
async fn select(parameters: &Parameters, state: &AppState) -> Result<(FoundSubgraph, Vec<usize>), ApiError> {
    let catalog = state.catalog.load_full();
    let limits = state.limits;
    let (roots, depth, mut selection, limit) = (
        parameters.roots.clone(),
        parameters.depth,
        parameters.selection.clone(),
        parameters.limit,
    );
    if let Some(name) = &parameters.source {
        let iri = crate::services::explore::source_iri(&state.store, name).map_err(|error| match error {
            QueryError::Store(error) => ApiError::Store(error),
            other => ApiError::Query(other),
        })?;
        selection.relations.source = Some(iri);
    }
    let whole_graph = parameters.whole_graph;
    let found = crate::api::compute::run(move || {
        let found = if whole_graph {
            catalog.whole_graph(&selection, limit, &limits)
        } else {
            catalog.subgraph(&roots, depth, &selection, limit, &limits)
        }?;
        let degrees = found
            .nodes
            .iter()
            .map(|id| catalog.relations_of(id, None).len())
            .collect();
        Ok::<_, QueryError>((found, degrees))
    })
    .await?;
    found.map_err(|error| match error {
        QueryError::Store(error) => ApiError::Store(error),
        other => ApiError::Query(parameters::url_words(other)),
    })
}

/// The entities and relations of the selection, read from the store.
fn drawing(store: &Store, found: &FoundSubgraph, degrees: Vec<usize>) -> Result<Drawing, StoreError> {
    let mut entities: HashMap<String, Entity> = store.entities(&found.nodes)?;
    let mut relations: HashMap<String, Relation> = store.relations(&found.relations)?;
    let nodes = found
        .nodes
        .iter()
        .zip(degrees)
        .filter_map(|(id, degree)| entities.remove(id).map(|entity| Node { entity, degree }))
        .collect();
    Ok(Drawing {
        nodes,
        relations: found.relations.iter().filter_map(|id| relations.remove(id)).collect(),
        truncated: found.truncated,
    })
}

fn write(
    store: &Store,
    found: &FoundSubgraph,
    degrees: Vec<usize>,
    parameters: &Parameters,
) -> Result<Vec<u8>, StoreError> {
    let drawing = drawing(store, found, degrees)?;
    Ok(match parameters.format {
        Format::Cytoscape => cytoscape::write(&drawing),
        Format::GraphMl => graphml::write(&drawing),
        Format::Gexf => gexf::write(&drawing),
        Format::Dot => dot::write(&drawing),
        Format::Csv if parameters.nodes_table => tables::nodes(&drawing),
        Format::Csv => tables::edges(&drawing),
        Format::JsonLd => {
            let stored = store.resources_document(&found.nodes, &found.relations, SparqlFormat::JsonLd)?;
            jsonld::write(&stored, &drawing)
        }
    })
}

fn content_type(parameters: &Parameters) -> (&'static str, &'static str) {
    match parameters.format {
        Format::Cytoscape => ("application/json", "cytoscape.json"),
        Format::GraphMl => ("application/graphml+xml; charset=utf-8", "graphml"),
        Format::Gexf => ("application/gexf+xml; charset=utf-8", "gexf"),
        Format::Dot => ("text/vnd.graphviz; charset=utf-8", "dot"),
        Format::Csv if parameters.nodes_table => ("text/csv; charset=utf-8", "nodes.csv"),
        Format::Csv => ("text/csv; charset=utf-8", "edges.csv"),
        Format::JsonLd => ("application/ld+json", "jsonld"),
    }
}

/// The response header every format carries, for readers of formats with no place for it (CSV).
pub const TRUNCATED_HEADER: &str = "x-govgraph-truncated";

pub async fn subgraph(request: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let parameters = parameters::parse(request.query_string())?;
    let (found, degrees) = select(&parameters, &state).await?;
    let truncated = found.truncated;
    let (content_type, extension) = content_type(&parameters);
    let store = state.store.clone();
    let body = crate::api::blocking::on_pool(move || write(&store, &found, degrees, &parameters)).await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"subgraph.{extension}\""),
        ))
        .insert_header((TRUNCATED_HEADER, truncated.to_string()))
        .body(body))
}
