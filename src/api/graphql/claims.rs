//! Claims in GraphQL: `Entity.claims`, the `Claim` type, and `ClaimInput` for the mutations.

use super::errors::coded;
use super::mutation::SourceInput;
use super::types::{EvidenceType, Source};
use crate::error_code::ErrorCode;
use crate::model::{self, ClaimProperty};
use crate::services::curate;
use async_graphql::{InputObject, Object, Result};

pub struct Claim(pub model::Claim);

/// One value of an entity with where it comes from, as a relation carries its provenance:
/// "why closed?" is the openness claim's sources, evidence type and reason.
#[Object]
impl Claim {
    /// The property the claim is about: "openness", "startDate", "endDate", "issued",
    /// "location" or "dateStatus".
    async fn property(&self) -> &str {
        self.0.property.name()
    }
    /// The value claimed, as the entity's field shows it: "open"/"closed", an ISO date, a place,
    /// "tbd"/"ongoing"/"unknown"; null when the stored value is not one of these.
    async fn value(&self) -> Option<&str> {
        self.0.value.as_deref()
    }
    /// Whether the entity states this value as its own. False for another reading the sources
    /// give: a date a later page states for a box the diagram leaves TBD.
    async fn asserted(&self) -> bool {
        self.0.asserted
    }
    /// How the value is known: quoted from a seed document, quoted from a public page,
    /// inferred, or stated by a curator.
    async fn evidence_type(&self) -> Option<EvidenceType> {
        self.0.evidence_type.map(Into::into)
    }
    /// The curator's confidence from 0 to 1; null when none was stated (a quoted value).
    async fn confidence(&self) -> Option<f64> {
        self.0.confidence
    }
    /// Why an inferred value is believed; null for a quoted one.
    async fn inference_reason(&self) -> Option<&str> {
        self.0.inference_reason.as_deref()
    }
    /// The documents and quotes the value rests on.
    async fn sources(&self) -> Vec<Source> {
        self.0.citations.iter().cloned().map(Source).collect()
    }
}

/// The claims of an entity, of one property when `property` names one.
pub fn claims_of(claims: &[model::Claim], property: Option<&str>) -> Result<Vec<Claim>> {
    let property = property
        .map(|name| {
            name.parse::<ClaimProperty>()
                .map_err(|message| coded(message, ErrorCode::BadUserInput))
        })
        .transpose()?;
    Ok(claims
        .iter()
        .filter(|claim| property.is_none_or(|wanted| claim.property == wanted))
        .cloned()
        .map(Claim)
        .collect())
}

/// Where a value comes from, given with it.
#[derive(InputObject, Clone)]
pub struct ClaimInput {
    /// "openness", "startDate", "endDate", "issued", "location" or "dateStatus".
    pub property: String,
    /// The value, as the entity's field takes it ("closed", "2014-04-23", "London", "tbd").
    pub value: String,
    /// How the value is known; INFERRED needs `inferenceReason` and a `confidence` below 1,
    /// SEED_QUOTE and PUBLIC_SOURCE a quote from a document of the graph or a web page.
    pub evidence_type: EvidenceType,
    /// From 0 to 1.
    pub confidence: Option<f64>,
    /// Why an inferred value is believed.
    pub inference_reason: Option<String>,
    /// The documents (entity ids or URLs) and quotes the value rests on.
    #[graphql(default)]
    pub sources: Vec<SourceInput>,
}

impl ClaimInput {
    /// The claim as the curators' service takes it.
    pub fn to_service(&self) -> curate::ClaimInput {
        curate::ClaimInput {
            property: self.property.clone(),
            value: self.value.clone(),
            evidence_type: self.evidence_type.into(),
            confidence: self.confidence,
            inference_reason: self.inference_reason.clone(),
            sources: super::mutation::sources(&self.sources),
        }
    }
}
