//! The data-quality report (`govgraph validate --report`): per cited document, how many values
//! (claims) and relations rest on a seed quote, a public source, an inference or a curator's
//! word; and every inference with its confidence and reason.

use super::vocab::*;
use super::{Store, StoreError};
use crate::model::EvidenceType;
use oxigraph::model::Term;
use std::collections::BTreeMap;
use std::fmt;

/// Statements of one kind from one document, by evidence type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    pub by_type: BTreeMap<EvidenceType, usize>,
}

impl Tally {
    pub fn get(&self, evidence: EvidenceType) -> usize {
        self.by_type.get(&evidence).copied().unwrap_or(0)
    }
}

/// One cited document's row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocumentQuality {
    /// A seed document's file name, else the document's IRI.
    pub document: String,
    pub values: Tally,
    pub relations: Tally,
}

/// One inferred value or relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Inference {
    /// "relation ID" or "ENTITY PROPERTY = VALUE".
    pub statement: String,
    pub confidence: Option<f64>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct QualityReport {
    pub documents: Vec<DocumentQuality>,
    pub inferences: Vec<Inference>,
}

const TALLY: &str = r#"
PREFIX gg: <https://w3id.org/govgraph/ns#>
SELECT ?document ?file ?relation ?type (COUNT(DISTINCT ?statement) AS ?n) WHERE {
    { ?statement a gg:Relation . BIND(true AS ?relation) } UNION { ?statement a gg:Claim . BIND(false AS ?relation) }
    ?statement gg:evidenceType ?type ; gg:evidence/gg:document ?document .
    OPTIONAL { ?document gg:seedFile ?file }
} GROUP BY ?document ?file ?relation ?type
"#;

const INFERRED: &str = r#"
PREFIX gg: <https://w3id.org/govgraph/ns#>
SELECT ?statement ?entity ?property ?value ?confidence ?reason WHERE {
    ?statement gg:evidenceType gg:Inferred .
    OPTIONAL { ?entity gg:claim ?statement . ?statement gg:property ?property ; gg:value ?value }
    OPTIONAL { ?statement gg:confidence ?confidence }
    OPTIONAL { ?statement gg:inferenceReason ?reason }
} ORDER BY ?entity ?property ?statement
"#;

impl Store {
    pub fn quality_report(&self) -> Result<QualityReport, StoreError> {
        let mut documents: BTreeMap<String, DocumentQuality> = BTreeMap::new();
        for row in super::shacl::select(&self.inner, TALLY)? {
            let text = |name: &str| match row.get(name) {
                Some(Term::Literal(literal)) => Some(literal.value().to_owned()),
                Some(Term::NamedNode(node)) => Some(node.as_str().to_owned()),
                _ => None,
            };
            let (Some(document), Some(kind), Some(count)) =
                (text("file").or_else(|| text("document")), text("type"), text("n"))
            else {
                continue;
            };
            let Some(evidence) = EvidenceType::ALL
                .iter()
                .copied()
                .find(|e| evidence_type_iri(*e).as_str() == kind)
            else {
                continue;
            };
            let entry = documents.entry(document.clone()).or_insert_with(|| DocumentQuality {
                document,
                ..DocumentQuality::default()
            });
            let tally = if text("relation").as_deref() == Some("true") {
                &mut entry.relations
            } else {
                &mut entry.values
            };
            *tally.by_type.entry(evidence).or_default() += count.parse::<usize>().unwrap_or(0);
        }
        let mut inferences = Vec::new();
        for row in super::shacl::select(&self.inner, INFERRED)? {
            let shown = |name: &str| match row.get(name) {
                Some(Term::NamedNode(node)) => Some(short(node.as_str())),
                Some(Term::Literal(literal)) => Some(literal.value().to_owned()),
                _ => None,
            };
            let statement = match (shown("entity"), shown("property"), shown("value")) {
                (Some(entity), Some(property), Some(value)) => format!("{entity} {property} = {value}"),
                _ => format!("relation {}", shown("statement").unwrap_or_default()),
            };
            inferences.push(Inference {
                statement,
                confidence: shown("confidence").and_then(|c| c.parse().ok()),
                reason: shown("reason"),
            });
        }
        Ok(QualityReport {
            documents: documents.into_values().collect(),
            inferences,
        })
    }
}

/// An IRI as the report shows it: an entity's or relation's id, a term's local name.
fn short(iri: &str) -> String {
    iri.strip_prefix(id_namespace())
        .or_else(|| iri.strip_prefix(rel_namespace()))
        .or_else(|| iri.rsplit(['#', '/']).next())
        .unwrap_or(iri)
        .to_owned()
}

impl fmt::Display for QualityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let types = [
            EvidenceType::SeedQuote,
            EvidenceType::PublicSource,
            EvidenceType::Inferred,
            EvidenceType::Asserted,
        ];
        let header: Vec<&str> = types.iter().map(|t| t.name()).collect();
        writeln!(
            f,
            "where values and relations come from, per cited document ({} each for values | relations)",
            header.join(" / ")
        )?;
        for row in &self.documents {
            let counts = |tally: &Tally| {
                types
                    .iter()
                    .map(|t| tally.get(*t).to_string())
                    .collect::<Vec<_>>()
                    .join(" / ")
            };
            writeln!(
                f,
                "  {}: values {} | relations {}",
                row.document,
                counts(&row.values),
                counts(&row.relations)
            )?;
        }
        writeln!(f, "inferred ({}):", self.inferences.len())?;
        for inference in &self.inferences {
            let confidence = inference
                .confidence
                .map_or("no confidence".to_owned(), |c| format!("confidence {c}"));
            writeln!(
                f,
                "  {} ({confidence}): {}",
                inference.statement,
                inference.reason.as_deref().unwrap_or("no reason given")
            )?;
        }
        Ok(())
    }
}
