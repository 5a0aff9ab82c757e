//! Graphviz DOT, styled per the legend: shape by kind (the legend's words are Graphviz shapes),
//! fill by openness, dashed indirect edges; every attribute of the one list as a DOT attribute
//! (Graphviz keeps attributes it does not know, and `dot -Tjson` shows them), and a truncated
//! selection as the graph's `truncated` attribute, a comment and a caption under the drawing.
//! Ids and values are written as quoted strings with backslashes, quotes and line breaks
//! escaped, so any label reaches `dot` intact.

use super::Drawing;
use super::attributes::{self, Attribute};
use super::legend;
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

/// `name="value", ...` for every attribute with a value, then the format's own styling.
fn attribute_list<T>(list: &[Attribute<T>], item: &T, styling: &[(&str, String)]) -> String {
    let mut pairs: Vec<String> = attributes::values(list, item)
        .into_iter()
        .map(|(attribute, value)| format!("{}={}", attribute.name, quoted(&value.text())))
        .collect();
    pairs.extend(styling.iter().map(|(name, value)| format!("{name}={}", quoted(value))));
    pairs.join(", ")
}

const TRUNCATED: &str = "truncated: the node limit left reachable entities out";

fn header(truncated: bool) -> String {
    let mut dot = String::new();
    if truncated {
        let _ = writeln!(dot, "// {TRUNCATED}");
    }
    dot.push_str("digraph govgraph {\n");
    let _ = write!(
        dot,
        "  graph [rankdir=LR, fontname=\"Helvetica\", truncated={}",
        quoted(&truncated.to_string())
    );
    if truncated {
        let _ = write!(dot, ", label={}, labelloc=b", quoted(TRUNCATED));
    }
    dot.push_str("];\n");
    dot.push_str("  node [style=\"filled,rounded\", fontname=\"Helvetica\", fontcolor=\"white\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
    dot
}

pub fn write(drawing: &Drawing) -> Vec<u8> {
    let mut dot = header(drawing.truncated);
    for node in &drawing.nodes {
        let entity = &node.entity;
        let kind = format!("{} ({})", entity.kind.name(), legend::openness_name(entity.openness));
        let styling = [
            ("fillcolor", legend::colour(entity.openness).to_string()),
            ("tooltip", kind),
        ];
        let list = attribute_list(attributes::NODE, node, &styling);
        let _ = writeln!(dot, "  {} [{list}];", quoted(&entity.id));
    }
    for relation in &drawing.relations {
        let styling = [
            ("style", legend::line_style(relation.kind).to_owned()),
            ("id", relation.id.clone()),
        ];
        let list = attribute_list(attributes::EDGE, relation, &styling);
        let _ = writeln!(
            dot,
            "  {} -> {} [{list}];",
            quoted(&relation.source),
            quoted(&relation.target)
        );
    }
    dot.push_str("}\n");
    dot.into_bytes()
}
