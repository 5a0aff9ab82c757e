//! Graphviz DOT, styled per the legend: shape by kind, fill by openness, dashed indirect edges.
//! Ids and labels are written as quoted strings with backslashes, quotes and line breaks
//! escaped, so any label reaches `dot` intact.

use super::Drawing;
use super::legend::{self, Shape};
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

fn dot_shape(shape: Shape) -> &'static str {
    match shape {
        Shape::Ellipse => "ellipse",
        Shape::Rectangle => "box",
        Shape::Diamond => "diamond",
        Shape::Hexagon => "hexagon",
        Shape::Triangle => "triangle",
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
            dot_shape(legend::shape(entity.kind)),
            quoted(&legend::colour(entity.openness).to_string()),
            quoted(&format!(
                "{} ({})",
                entity.kind.name(),
                legend::openness_name(entity.openness)
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
            legend::line_style(relation.kind),
            quoted(&relation.id)
        );
    }
    dot.push_str("}\n");
    dot.into_bytes()
}
