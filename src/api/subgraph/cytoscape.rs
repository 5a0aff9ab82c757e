//! Cytoscape.js elements JSON: `{"elements": {"nodes": [{data, classes}], "edges": [...]}}`,
//! with the legend as data and classes (`meeting open`, `direct`) for a stylesheet.

use super::Drawing;
use super::legend::{colour, line_style, openness_name, shape};
use serde_json::{Value, json};

pub fn write(drawing: &Drawing) -> Vec<u8> {
    let nodes: Vec<Value> = drawing
        .entities
        .iter()
        .map(|entity| {
            json!({
                "data": {
                    "id": entity.id,
                    "label": entity.label,
                    "kind": entity.kind.name(),
                    "openness": openness_name(entity.openness),
                    "startDate": entity.start_date.map(|d| d.to_string()),
                    "endDate": entity.end_date.map(|d| d.to_string()),
                    "location": entity.location,
                    "iri": entity.iri,
                    "shape": shape(entity.kind),
                    "color": colour(entity.openness),
                },
                "classes": format!("{} {}", entity.kind.name(), openness_name(entity.openness)),
            })
        })
        .collect();
    let edges: Vec<Value> = drawing
        .relations
        .iter()
        .map(|relation| {
            json!({
                "data": {
                    "id": relation.id,
                    "source": relation.source,
                    "target": relation.target,
                    "label": relation.predicate_label,
                    "predicate": relation.predicate,
                    "kind": relation.kind.name(),
                    "evidenceType": relation.evidence_type.map(|e| e.name()),
                    "confidence": relation.confidence,
                    "lineStyle": line_style(relation.kind),
                },
                "classes": relation.kind.name(),
            })
        })
        .collect();
    let document = json!({ "elements": { "nodes": nodes, "edges": edges }, "truncated": drawing.truncated });
    serde_json::to_vec_pretty(&document).unwrap_or_default()
}
