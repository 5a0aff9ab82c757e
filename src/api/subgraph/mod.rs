//! `GET /subgraph?root=REF&depth=N&format=F`: the same selection as GraphQL `subgraph`, in the
//! formats visualization tools read — Cytoscape.js JSON, GraphML, GEXF, Graphviz DOT, CSV edge
//! and node tables (Gephi), JSON-LD — styled or attributed per the ICANN diagram's legend
//! (`legend`, which `GET /legend` also serves to the playground).

mod cytoscape;
mod dot;
mod gexf;
mod graphml;
pub mod legend;
mod tables;
mod xml;

use super::{ApiError, AppState};
use crate::model::{Entity, Openness, Relation, RelationKind};
use crate::services::explore::{QueryError, Selection, Window};
use crate::store::SparqlFormat;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use std::collections::HashMap;

/// A drawn subgraph: entities and the relations between them, in the selection's order.
pub struct Drawing {
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
    pub truncated: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Cytoscape,
    GraphMl,
    Gexf,
    Dot,
    Csv,
    JsonLd,
}

const FORMATS: &[(&str, Format)] = &[
    ("cytoscape", Format::Cytoscape),
    ("graphml", Format::GraphMl),
    ("gexf", Format::Gexf),
    ("dot", Format::Dot),
    ("csv", Format::Csv),
    ("jsonld", Format::JsonLd),
];

/// The request's parameters; `root` and `kinds` may repeat.
struct Parameters {
    roots: Vec<String>,
    depth: usize,
    selection: Selection,
    limit: Option<usize>,
    format: Format,
    nodes_table: bool,
}

fn number(key: &str, value: &str) -> Result<usize, ApiError> {
    value
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("`{key}` must be a non-negative integer, not `{value}`")))
}

fn parse(query_string: &str) -> Result<Parameters, ApiError> {
    let mut parameters = Parameters {
        roots: Vec::new(),
        depth: 1,
        selection: Selection::default(),
        limit: None,
        format: Format::Cytoscape,
        nodes_table: false,
    };
    let mut format = None;
    let (mut from, mut to) = (None, None);
    for (key, value) in form_urlencoded::parse(query_string.as_bytes()) {
        match key.as_ref() {
            "root" => parameters.roots.push(value.into_owned()),
            "depth" => parameters.depth = number("depth", &value)?,
            "limit" => parameters.limit = Some(number("limit", &value)?),
            "directed" => parameters.selection.directed = value == "true" || value == "1",
            "openness" => {
                let openness: Openness = value.parse().map_err(ApiError::BadRequest)?;
                parameters.selection.openness = Some(openness);
            }
            "kinds" | "kind" => {
                for kind in value.split(',').filter(|k| !k.trim().is_empty()) {
                    let kind: RelationKind = kind.parse().map_err(ApiError::BadRequest)?;
                    parameters.selection.kinds.get_or_insert_with(Vec::new).push(kind);
                }
            }
            "from" => from = Some(value.into_owned()),
            "to" => to = Some(value.into_owned()),
            "part" => parameters.nodes_table = value == "nodes",
            "format" => format = Some(value.into_owned()),
            _ => {}
        }
    }
    let name = format.unwrap_or_else(|| "cytoscape".to_owned());
    parameters.format = FORMATS
        .iter()
        .find(|(candidate, _)| candidate.eq_ignore_ascii_case(&name))
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let names: Vec<&str> = FORMATS.iter().map(|(name, _)| *name).collect();
            ApiError::BadRequest(format!(
                "unknown format `{name}` (expected one of: {})",
                names.join(", ")
            ))
        })?;
    if from.is_some() || to.is_some() {
        let window = Window::parse(from.as_deref(), to.as_deref(), "between")
            .map_err(|e| ApiError::BadRequest(e.to_string()))?;
        parameters.selection.between = Some(window);
    }
    Ok(parameters)
}

pub async fn subgraph(request: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let parameters = parse(request.query_string())?;
    let catalog = state.catalog.load_full();
    let limits = state.limits;
    let (roots, depth, selection, limit) = (
        parameters.roots.clone(),
        parameters.depth,
        parameters.selection.clone(),
        parameters.limit,
    );
    let found = crate::api::compute::run(move || catalog.subgraph(&roots, depth, &selection, limit, &limits))
        .await?
        .map_err(|error| match error {
            QueryError::Store(error) => ApiError::Store(error),
            other => ApiError::Query(other),
        })?;
    let store = state.store.clone();
    let (node_ids, relation_ids) = (found.nodes.clone(), found.relations.clone());
    let format = parameters.format;
    let body = crate::api::blocking::on_pool(move || -> Result<Vec<u8>, crate::store::StoreError> {
        if format == Format::JsonLd {
            return store.resources_document(&node_ids, &relation_ids, SparqlFormat::JsonLd);
        }
        let mut entities: HashMap<String, Entity> = store.entities(&node_ids)?;
        let mut relations: HashMap<String, Relation> = store.relations(&relation_ids)?;
        let drawing = Drawing {
            entities: node_ids.iter().filter_map(|id| entities.remove(id)).collect(),
            relations: relation_ids.iter().filter_map(|id| relations.remove(id)).collect(),
            truncated: found.truncated,
        };
        Ok(match format {
            Format::Cytoscape => cytoscape::write(&drawing),
            Format::GraphMl => graphml::write(&drawing),
            Format::Gexf => gexf::write(&drawing),
            Format::Dot => dot::write(&drawing),
            Format::Csv if parameters.nodes_table => tables::nodes(&drawing),
            Format::Csv => tables::edges(&drawing),
            Format::JsonLd => Vec::new(),
        })
    })
    .await??;
    let (content_type, extension) = match parameters.format {
        Format::Cytoscape => ("application/json", "cytoscape.json"),
        Format::GraphMl => ("application/graphml+xml; charset=utf-8", "graphml"),
        Format::Gexf => ("application/gexf+xml; charset=utf-8", "gexf"),
        Format::Dot => ("text/vnd.graphviz; charset=utf-8", "dot"),
        Format::Csv if parameters.nodes_table => ("text/csv; charset=utf-8", "nodes.csv"),
        Format::Csv => ("text/csv; charset=utf-8", "edges.csv"),
        Format::JsonLd => ("application/ld+json", "jsonld"),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"subgraph.{extension}\""),
        ))
        .body(body))
}
