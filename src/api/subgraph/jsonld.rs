//! JSON-LD: the selection's statements as the store has them (kind as `@type`, openness,
//! relation kind, evidence type and date status as IRIs, sources as evidence nodes), and beside
//! them what RDF does not store but the other formats carry — degree, the legend's shape, colour
//! and line style, the weight — and whether the selection was truncated, as `gg:` statements on
//! the same IRIs (the node objects merge). Keys and ids are full IRIs, so they mean the same
//! whatever context the store's writer uses.

use super::Drawing;
use super::attributes::{self, Node};
use super::legend;
use crate::model::Relation;
use serde_json::{Map, Value, json};

const GG: &str = "https://w3id.org/govgraph/ns#";

fn node_view(node: &Node) -> Value {
    let entity = &node.entity;
    json!({
        "@id": entity.iri,
        format!("{GG}degree"): node.degree,
        format!("{GG}shape"): legend::shape(entity.kind).name(),
        format!("{GG}color"): legend::colour(entity.openness).to_string(),
    })
}

fn edge_view(relation: &Relation) -> Value {
    json!({
        "@id": relation.iri,
        format!("{GG}lineStyle"): legend::line_style(relation.kind),
        format!("{GG}weight"): attributes::weight(relation),
    })
}

/// The store's document with the views added to its `@graph`.
pub fn write(stored: &[u8], drawing: &Drawing) -> Vec<u8> {
    let mut document: Map<String, Value> = match serde_json::from_slice(stored) {
        Ok(Value::Object(document)) => document,
        // Not an object: nothing to add to; the store's bytes are still the answer.
        _ => return stored.to_vec(),
    };
    let context = document.remove("@context");
    let mut graph = match document.remove("@graph") {
        Some(Value::Array(graph)) => graph,
        // One node object at the top, or none.
        _ if document.is_empty() => Vec::new(),
        _ => vec![Value::Object(std::mem::take(&mut document))],
    };
    graph.extend(drawing.nodes.iter().map(node_view));
    graph.extend(drawing.relations.iter().map(edge_view));
    graph.push(json!({ "@id": "_:subgraph", format!("{GG}truncated"): drawing.truncated }));
    let mut out = Map::new();
    if let Some(context) = context {
        out.insert("@context".to_owned(), context);
    }
    out.extend(document);
    out.insert("@graph".to_owned(), Value::Array(graph));
    serde_json::to_vec_pretty(&Value::Object(out)).unwrap_or_else(|_| stored.to_vec())
}
