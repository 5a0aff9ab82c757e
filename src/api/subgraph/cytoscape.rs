//! Cytoscape.js elements JSON: `{"elements": {"nodes": [{data, classes}], "edges": [...]},
//! "data": {"truncated"}, "truncated"}`, every attribute in `data` (null when absent), and
//! classes (`meeting open`, `direct`) for a stylesheet.

use super::Drawing;
use super::attributes::{self, Attribute};
use super::legend::openness_name;
use serde_json::{Map, Value, json};

/// `data` with the item's own keys first, then every attribute of the list.
fn data<T>(own: Value, list: &[Attribute<T>], item: &T) -> Value {
    let mut data = match own {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    for attribute in list {
        let value = attribute.value(item).map_or(Value::Null, |value| value.json());
        data.insert(attribute.name.to_owned(), value);
    }
    Value::Object(data)
}

pub fn write(drawing: &Drawing) -> Vec<u8> {
    let nodes: Vec<Value> = drawing
        .nodes
        .iter()
        .map(|node| {
            let entity = &node.entity;
            json!({
                "data": data(json!({ "id": entity.id }), attributes::NODE, node),
                "classes": format!("{} {}", entity.kind.name(), openness_name(entity.openness)),
            })
        })
        .collect();
    let edges: Vec<Value> = drawing
        .relations
        .iter()
        .map(|relation| {
            let own = json!({ "id": relation.id, "source": relation.source, "target": relation.target });
            json!({
                "data": data(own, attributes::EDGE, relation),
                "classes": relation.kind.name(),
            })
        })
        .collect();
    // `data` is where Cytoscape.js keeps a graph's own data (`cy.data()`); the top-level flag is
    // the one this format always had.
    let document = json!({
        "elements": { "nodes": nodes, "edges": edges },
        "data": { "truncated": drawing.truncated },
        "truncated": drawing.truncated,
    });
    serde_json::to_vec_pretty(&document).unwrap_or_default()
}
