//! Graphviz DOT, styled per the legend: shape by kind, fill by openness, dashed indirect edges.
//! Ids and labels are written as quoted strings with backslashes, quotes and line breaks
//! escaped, so any label reaches `dot` intact.

use super::{Drawing, colour, line_style};
use crate::model::EntityKind;
use std::fmt::Write as _;

fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

fn dot_shape(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Meeting => "ellipse",
        EntityKind::Document => "note",
        EntityKind::DiscussionSpace => "box",
        EntityKind::Organization => "hexagon",
        EntityKind::Person => "diamond",
    }
}

pub fn write(drawing: &Drawing) -> Vec<u8> {
    let mut dot = String::from("digraph govgraph {\n  graph [rankdir=LR, fontname=\"Helvetica\"];\n");
    dot.push_str("  node [style=\"filled,rounded\", fontname=\"Helvetica\", fontcolor=\"white\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for entity in &drawing.entities {
        let _ = writeln!(
            dot,
            "  {} [label={}, shape={}, fillcolor={}, tooltip={}];",
            quoted(&entity.id),
            quoted(&entity.label),
            dot_shape(entity.kind),
            quoted(colour(entity.openness)),
            quoted(&format!(
                "{} ({})",
                entity.kind.name(),
                super::openness_name(entity.openness)
            ))
        );
    }
    for relation in &drawing.relations {
        let _ = writeln!(
            dot,
            "  {} -> {} [label={}, style={}, id={}];",
            quoted(&relation.source),
            quoted(&relation.target),
            quoted(&relation.predicate_label),
            line_style(relation.kind),
            quoted(&relation.id)
        );
    }
    dot.push_str("}\n");
    dot.into_bytes()
}
