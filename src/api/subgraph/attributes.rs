//! The one list of attributes every `/subgraph` format writes: for a node and for an edge, each
//! attribute's name, type and value. The writers only spell these in their own syntax, so a
//! tool sees the same facts whichever format it reads, and an attribute added here reaches them
//! all.

use super::legend;
use crate::model::{Citation, Entity, Relation};

/// An entity as drawn: the stored entity and its number of relations in the whole graph.
pub struct Node {
    pub entity: Entity,
    pub degree: usize,
}

/// What a format declares an attribute as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Text,
    Integer,
    Number,
    /// Text values in order: an array in JSON, `|`-separated elsewhere (as the CSV import
    /// separates aliases).
    List,
}

/// A value of an attribute; an attribute without one is left out (or null, or empty).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Integer(usize),
    Number(f64),
    List(Vec<String>),
}

impl Value {
    /// The value as one piece of text, for formats whose values are strings.
    pub fn text(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Integer(number) => number.to_string(),
            Value::Number(number) => number.to_string(),
            Value::List(items) => items.join("|"),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        match self {
            Value::Text(text) => text.as_str().into(),
            Value::Integer(number) => (*number).into(),
            Value::Number(number) => (*number).into(),
            Value::List(items) => items.as_slice().into(),
        }
    }
}

/// One attribute of a node (`T = Node`) or an edge (`T = Relation`).
pub struct Attribute<T> {
    pub name: &'static str,
    pub kind: Type,
    value: fn(&T) -> Option<Value>,
}

impl<T> Attribute<T> {
    pub fn value(&self, item: &T) -> Option<Value> {
        (self.value)(item)
    }
}

fn text(value: impl Into<String>) -> Option<Value> {
    Some(Value::Text(value.into()))
}

/// The documents an entity or relation is cited from, each once, in order.
fn sources(citations: &[Citation]) -> Option<Value> {
    let mut documents: Vec<String> = Vec::new();
    for citation in citations {
        if !documents.contains(&citation.document) {
            documents.push(citation.document.clone());
        }
    }
    (!documents.is_empty()).then_some(Value::List(documents))
}

pub const NODE: &[Attribute<Node>] = &[
    Attribute {
        name: "label",
        kind: Type::Text,
        value: |node| text(&node.entity.label),
    },
    Attribute {
        name: "kind",
        kind: Type::Text,
        value: |node| text(node.entity.kind.name()),
    },
    Attribute {
        name: "openness",
        kind: Type::Text,
        value: |node| text(legend::openness_name(node.entity.openness)),
    },
    Attribute {
        name: "startDate",
        kind: Type::Text,
        value: |node| node.entity.start_date.and_then(|date| text(date.to_string())),
    },
    Attribute {
        name: "endDate",
        kind: Type::Text,
        value: |node| node.entity.end_date.and_then(|date| text(date.to_string())),
    },
    Attribute {
        name: "dateStatus",
        kind: Type::Text,
        value: |node| node.entity.date_status.and_then(|status| text(status.name())),
    },
    Attribute {
        name: "location",
        kind: Type::Text,
        value: |node| node.entity.location.as_deref().and_then(text),
    },
    Attribute {
        name: "sources",
        kind: Type::List,
        value: |node| sources(&node.entity.citations),
    },
    Attribute {
        name: "degree",
        kind: Type::Integer,
        value: |node| Some(Value::Integer(node.degree)),
    },
    Attribute {
        name: "shape",
        kind: Type::Text,
        value: |node| text(legend::shape(node.entity.kind).name()),
    },
    Attribute {
        name: "color",
        kind: Type::Text,
        value: |node| text(legend::colour(node.entity.openness).to_string()),
    },
    Attribute {
        name: "iri",
        kind: Type::Text,
        value: |node| text(&node.entity.iri),
    },
];

pub const EDGE: &[Attribute<Relation>] = &[
    Attribute {
        name: "label",
        kind: Type::Text,
        value: |relation| text(&relation.predicate_label),
    },
    Attribute {
        name: "kind",
        kind: Type::Text,
        value: |relation| text(relation.kind.name()),
    },
    Attribute {
        name: "predicate",
        kind: Type::Text,
        value: |relation| text(&relation.predicate),
    },
    Attribute {
        name: "evidenceType",
        kind: Type::Text,
        value: |relation| relation.evidence_type.and_then(|evidence| text(evidence.name())),
    },
    Attribute {
        name: "confidence",
        kind: Type::Number,
        value: |relation| relation.confidence.map(Value::Number),
    },
    Attribute {
        name: "weight",
        kind: Type::Number,
        value: |relation| Some(Value::Number(weight(relation))),
    },
    Attribute {
        name: "sources",
        kind: Type::List,
        value: |relation| sources(&relation.citations),
    },
    Attribute {
        name: "lineStyle",
        kind: Type::Text,
        value: |relation| text(legend::line_style(relation.kind)),
    },
    Attribute {
        name: "iri",
        kind: Type::Text,
        value: |relation| text(&relation.iri),
    },
];

/// What layouts pull by: the confidence, and a relation nobody doubted counts fully.
pub fn weight(relation: &Relation) -> f64 {
    relation.confidence.unwrap_or(1.0)
}

/// The attributes of `item` that have a value, by name.
pub fn values<'a, T>(attributes: &'a [Attribute<T>], item: &T) -> Vec<(&'a Attribute<T>, Value)> {
    attributes
        .iter()
        .filter_map(|attribute| attribute.value(item).map(|value| (attribute, value)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_unique_and_lists_are_pipe_separated() {
        let names: BTreeSet<&str> = NODE.iter().map(|a| a.name).collect();
        assert_eq!(names.len(), NODE.len());
        let names: BTreeSet<&str> = EDGE.iter().map(|a| a.name).collect();
        assert_eq!(names.len(), EDGE.len());
        let list = Value::List(vec!["a".into(), "b".into()]);
        assert_eq!(list.text(), "a|b");
        assert_eq!(list.json(), serde_json::json!(["a", "b"]));
    }
}
