//! The ICANN diagram's legend — shape = entity kind, colour = openness, line = relation kind —
//! in one place. Every `/subgraph` format that styles takes its look from here, and `GET /legend`
//! serves the same table to the playground, which draws with it: a copy in either could drift.

use crate::model::{EntityKind, Openness, RelationKind};
use actix_web::HttpResponse;
use serde::{Serialize, Serializer};
use std::fmt;

/// A node shape, in Cytoscape.js's words; formats with other vocabularies translate it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    Ellipse,
    Rectangle,
    Diamond,
    Hexagon,
    Triangle,
}

/// An sRGB colour: `#rrggbb` in JSON, DOT and GraphML; GEXF takes the channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colour {
    pub red: u8,
    pub green: u8,
    pub blue: u8,
}

const fn rgb(red: u8, green: u8, blue: u8) -> Colour {
    Colour { red, green, blue }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.red, self.green, self.blue)
    }
}

impl Serialize for Colour {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The diagram's own three kinds first, in the order its legend lists them.
const KINDS: [EntityKind; 5] = [
    EntityKind::Meeting,
    EntityKind::Document,
    EntityKind::DiscussionSpace,
    EntityKind::Organization,
    EntityKind::Person,
];

const OPENNESS: [Option<Openness>; 3] = [Some(Openness::Open), Some(Openness::Closed), None];

fn kind_key(kind: EntityKind) -> (&'static str, Shape) {
    match kind {
        EntityKind::Meeting => ("Meeting / event", Shape::Ellipse),
        EntityKind::Document => ("Document", Shape::Rectangle),
        EntityKind::DiscussionSpace => ("Discussion space", Shape::Diamond),
        EntityKind::Organization => ("Organization", Shape::Hexagon),
        EntityKind::Person => ("Person", Shape::Triangle),
    }
}

// Dark enough for DOT's white labels to stay readable on them.
fn openness_key(openness: Option<Openness>) -> (&'static str, Colour) {
    match openness {
        Some(Openness::Open) => ("Open or partially open", rgb(0x2e, 0x8b, 0x57)),
        Some(Openness::Closed) => ("Closed or partially closed", rgb(0xc0, 0x39, 0x2b)),
        None => ("Openness unknown", rgb(0x8c, 0x8c, 0x8c)),
    }
}

// Cytoscape.js, DOT and GEXF share these two words.
fn relation_key(kind: RelationKind) -> (&'static str, &'static str) {
    match kind {
        RelationKind::Direct => ("Direct", "solid"),
        RelationKind::Indirect => ("Indirect", "dashed"),
    }
}

pub fn shape(kind: EntityKind) -> Shape {
    kind_key(kind).1
}

pub fn colour(openness: Option<Openness>) -> Colour {
    openness_key(openness).1
}

pub fn line_style(kind: RelationKind) -> &'static str {
    relation_key(kind).1
}

/// The token for an openness in the formats, `unknown` when none is recorded.
pub fn openness_name(openness: Option<Openness>) -> &'static str {
    openness.map_or("unknown", Openness::name)
}

/// The value GraphQL gives a kind (`DISCUSSION_SPACE`): what the playground reads in a result.
fn graphql_value(name: &str) -> String {
    name.to_ascii_uppercase()
}

#[derive(Serialize)]
struct KindEntry {
    value: String,
    name: &'static str,
    label: &'static str,
    shape: Shape,
}

#[derive(Serialize)]
struct OpennessEntry {
    value: Option<String>,
    name: &'static str,
    label: &'static str,
    color: Colour,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelationEntry {
    value: String,
    name: &'static str,
    label: &'static str,
    line_style: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Legend {
    kinds: Vec<KindEntry>,
    openness: Vec<OpennessEntry>,
    relation_kinds: Vec<RelationEntry>,
}

fn legend() -> Legend {
    let kinds = KINDS.map(|kind| {
        let (label, shape) = kind_key(kind);
        KindEntry {
            value: graphql_value(kind.name()),
            name: kind.name(),
            label,
            shape,
        }
    });
    let openness = OPENNESS.map(|openness| {
        let (label, color) = openness_key(openness);
        let value = openness.map(|o| graphql_value(o.name()));
        OpennessEntry {
            value,
            name: openness_name(openness),
            label,
            color,
        }
    });
    let relation_kinds = RelationKind::ALL.iter().map(|&kind| {
        let (label, line_style) = relation_key(kind);
        RelationEntry {
            value: graphql_value(kind.name()),
            name: kind.name(),
            label,
            line_style,
        }
    });
    Legend {
        kinds: kinds.into(),
        openness: openness.into(),
        relation_kinds: relation_kinds.collect(),
    }
}

/// `GET /legend`.
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(legend())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_legend_lists_every_kind_and_openness_once() {
        let mut kinds = KINDS.to_vec();
        kinds.sort();
        assert_eq!(kinds, EntityKind::ALL);
        let mut openness: Vec<_> = OPENNESS.iter().flatten().copied().collect();
        openness.sort();
        assert_eq!(openness, Openness::ALL);
        assert!(OPENNESS.contains(&None));
    }

    #[test]
    fn kinds_differ_by_shape_and_openness_by_colour() {
        let shapes: BTreeSet<String> = KINDS.iter().map(|&k| format!("{:?}", shape(k))).collect();
        assert_eq!(shapes.len(), KINDS.len());
        let colours: BTreeSet<String> = OPENNESS.iter().map(|&o| colour(o).to_string()).collect();
        assert_eq!(colours.len(), OPENNESS.len());
    }

    #[test]
    fn colours_are_written_as_hex() {
        assert_eq!(colour(Some(Openness::Open)).to_string(), "#2e8b57");
        let json = serde_json::to_value(legend()).unwrap();
        assert_eq!(json["kinds"][2]["value"], "DISCUSSION_SPACE");
        assert_eq!(json["kinds"][2]["shape"], "diamond");
        assert_eq!(json["openness"][2]["value"], serde_json::Value::Null);
        assert_eq!(json["openness"][1]["color"], "#c0392b");
        assert_eq!(json["relationKinds"][1]["lineStyle"], "dashed");
    }
}
