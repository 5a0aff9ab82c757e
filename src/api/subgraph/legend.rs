//! The ICANN diagram's legend — shape = entity kind, colour = openness, line = relation kind —
//! in one place. Every `/subgraph` format that styles takes its look from here, and `GET /legend`
//! serves the same table to the playground, which draws with it: a copy in either could drift.
//! It is also the one table of how each value is spelled: the formats' token (`name`, the CSV
//! import's word; GraphQL's enum name lowercased), GraphQL's enum value, and RDF's IRI.

use crate::model::{DateStatus, EntityKind, EvidenceType, Openness, RelationKind};
use crate::store::vocab;
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

impl Shape {
    /// The word for it in the formats' `shape` attribute, as `/legend` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Ellipse => "ellipse",
            Shape::Rectangle => "rectangle",
            Shape::Diamond => "diamond",
            Shape::Hexagon => "hexagon",
            Shape::Triangle => "triangle",
        }
    }
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

/// The token for "the sources do not say" where GraphQL has null and RDF no statement: the
/// one spelling every format and `/legend` use.
pub const OPENNESS_UNKNOWN: &str = "unknown";

/// The token for an openness in the formats.
pub fn openness_name(openness: Option<Openness>) -> &'static str {
    openness.map_or(OPENNESS_UNKNOWN, Openness::name)
}

/// The value GraphQL gives a token (`DISCUSSION_SPACE`): its enum names are the formats' tokens
/// in capitals (`visual::one_spelling_per_value` checks it against the schema).
fn graphql_value(name: &str) -> String {
    name.to_ascii_uppercase()
}

/// How one value is spelled in the formats, in GraphQL and in RDF.
#[derive(Serialize)]
struct Spelling {
    name: &'static str,
    graphql: Option<String>,
    iri: Option<&'static str>,
    label: &'static str,
}

impl Spelling {
    fn new(name: &'static str, iri: &'static str, label: &'static str) -> Self {
        Spelling {
            name,
            graphql: Some(graphql_value(name)),
            iri: Some(iri),
            label,
        }
    }
}

#[derive(Serialize)]
struct KindEntry {
    #[serde(flatten)]
    spelling: Spelling,
    shape: Shape,
}

#[derive(Serialize)]
struct OpennessEntry {
    #[serde(flatten)]
    spelling: Spelling,
    color: Colour,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelationEntry {
    #[serde(flatten)]
    spelling: Spelling,
    line_style: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Legend {
    kinds: Vec<KindEntry>,
    openness: Vec<OpennessEntry>,
    relation_kinds: Vec<RelationEntry>,
    evidence_types: Vec<Spelling>,
    date_statuses: Vec<Spelling>,
}

fn evidence_label(evidence: EvidenceType) -> &'static str {
    match evidence {
        EvidenceType::SeedQuote => "Quoted from a seed document",
        EvidenceType::PublicSource => "Quoted from a public web page",
        EvidenceType::Inferred => "Inferred",
        EvidenceType::Asserted => "Asserted by a curator",
    }
}

fn date_status_label(status: DateStatus) -> &'static str {
    match status {
        DateStatus::Tbd => "To be determined",
        DateStatus::Ongoing => "Ongoing",
        DateStatus::Unknown => "Unknown",
    }
}

fn openness_entry(openness: Option<Openness>) -> OpennessEntry {
    let (label, color) = openness_key(openness);
    let spelling = match openness {
        Some(openness) => Spelling::new(openness.name(), vocab::openness_iri(openness).as_str(), label),
        None => Spelling {
            name: OPENNESS_UNKNOWN,
            graphql: None,
            iri: None,
            label,
        },
    };
    OpennessEntry { spelling, color }
}

fn legend() -> Legend {
    let kinds = KINDS.map(|kind| {
        let (label, shape) = kind_key(kind);
        let spelling = Spelling::new(kind.name(), vocab::kind_class(kind).as_str(), label);
        KindEntry { spelling, shape }
    });
    let relation_kinds = RelationKind::ALL.iter().map(|&kind| {
        let (label, line_style) = relation_key(kind);
        let spelling = Spelling::new(kind.name(), vocab::relation_kind_iri(kind).as_str(), label);
        RelationEntry { spelling, line_style }
    });
    let evidence_types = EvidenceType::ALL.iter().map(|&evidence| {
        let iri = vocab::evidence_type_iri(evidence).as_str();
        Spelling::new(evidence.name(), iri, evidence_label(evidence))
    });
    let date_statuses = DateStatus::ALL.iter().map(|&status| {
        let iri = vocab::date_status_iri(status).as_str();
        Spelling::new(status.name(), iri, date_status_label(status))
    });
    Legend {
        kinds: kinds.into(),
        openness: OPENNESS.map(openness_entry).into(),
        relation_kinds: relation_kinds.collect(),
        evidence_types: evidence_types.collect(),
        date_statuses: date_statuses.collect(),
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
        assert_eq!(json["kinds"][2]["graphql"], "DISCUSSION_SPACE");
        assert_eq!(json["kinds"][2]["name"], "discussion_space");
        assert_eq!(json["kinds"][2]["iri"], "https://w3id.org/govgraph/ns#DiscussionSpace");
        assert_eq!(json["kinds"][2]["shape"], "diamond");
        assert_eq!(json["openness"][2]["graphql"], serde_json::Value::Null);
        assert_eq!(json["openness"][2]["name"], "unknown");
        assert_eq!(json["evidenceTypes"][0]["name"], "seed_quote");
        assert_eq!(json["evidenceTypes"][0]["graphql"], "SEED_QUOTE");
        assert_eq!(json["openness"][1]["color"], "#c0392b");
        assert_eq!(json["relationKinds"][1]["lineStyle"], "dashed");
    }
}
