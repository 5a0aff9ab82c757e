//! Claims: a value of an entity (its openness, a date, its date status, its place) with the
//! provenance relations have — evidence type, sources, and for an inference its reason and
//! confidence. The entity asserts one value per property; a claim whose value the entity does
//! not assert is another reading the sources give.

use super::{Citation, DateStatus, EvidenceType, Openness, PartialDate, Source, named_enum};

named_enum! {
    /// The properties a claim can be about; the tokens are the GraphQL field names.
    ClaimProperty ("claim property") {
        Openness => "openness",
        StartDate => "startDate",
        EndDate => "endDate",
        Issued => "issued",
        Location => "location",
        DateStatus => "dateStatus",
    }
}

/// A claimed value, typed by its property.
#[derive(Clone, Debug, PartialEq)]
pub enum ClaimValue {
    Openness(Openness),
    Date(PartialDate),
    DateStatus(DateStatus),
    Text(String),
}

impl ClaimValue {
    /// Reads `value` as a value of `property`: an openness or date-status token, an ISO date,
    /// or any text for a location.
    pub fn parse(property: ClaimProperty, value: &str) -> Result<Self, String> {
        let value = value.trim();
        match property {
            ClaimProperty::Openness => value.parse().map(Self::Openness),
            ClaimProperty::DateStatus => value.parse().map(Self::DateStatus),
            ClaimProperty::StartDate | ClaimProperty::EndDate | ClaimProperty::Issued => value.parse().map(Self::Date),
            ClaimProperty::Location if value.is_empty() => Err("a location claim needs a place".to_owned()),
            ClaimProperty::Location => Ok(Self::Text(value.to_owned())),
        }
    }
}

impl std::fmt::Display for ClaimValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Openness(openness) => openness.fmt(f),
            Self::Date(date) => date.fmt(f),
            Self::DateStatus(status) => status.fmt(f),
            Self::Text(text) => f.write_str(text),
        }
    }
}

/// A claim as written by a curator.
#[derive(Clone, Debug, PartialEq)]
pub struct NewClaim {
    pub property: ClaimProperty,
    pub value: ClaimValue,
    pub evidence_type: EvidenceType,
    pub confidence: Option<f64>,
    pub inference_reason: Option<String>,
    pub sources: Vec<Source>,
}

impl NewClaim {
    /// The claim a curator makes by stating a value with the entity's sources and no claim of
    /// its own: asserted, citing what the entity cites.
    pub fn asserted(property: ClaimProperty, value: ClaimValue, sources: &[Source]) -> Self {
        Self {
            property,
            value,
            evidence_type: EvidenceType::Asserted,
            confidence: None,
            inference_reason: None,
            sources: sources.to_vec(),
        }
    }

    /// What is wrong with the claim's provenance, if anything: the rules the shapes enforce.
    pub fn check(&self) -> Result<(), String> {
        let quoted = |wanted: fn(&super::DocumentRef) -> bool| {
            self.sources
                .iter()
                .any(|source| source.quote.is_some() && wanted(&source.document))
        };
        match self.evidence_type {
            EvidenceType::SeedQuote if !quoted(|d| matches!(d, super::DocumentRef::Entity(_))) => {
                Err("a seed_quote claim needs a quote from a document of the graph".to_owned())
            }
            EvidenceType::PublicSource if !quoted(|d| matches!(d, super::DocumentRef::Url(_))) => {
                Err("a public_source claim needs a quote from a web page".to_owned())
            }
            EvidenceType::Inferred if self.inference_reason.is_none() || !self.confidence.is_some_and(|c| c < 1.0) => {
                Err("an inferred claim needs an inference reason and a confidence below 1".to_owned())
            }
            _ if self.confidence.is_some_and(|c| !(0.0..=1.0).contains(&c)) => {
                Err("a confidence is a number from 0 to 1".to_owned())
            }
            _ => Ok(()),
        }
    }
}

/// A claim as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub property: ClaimProperty,
    /// The value as the API shows it (an openness or date-status token, an ISO date, a place).
    pub value: Option<String>,
    /// Whether the entity states this value as its own.
    pub asserted: bool,
    pub evidence_type: Option<EvidenceType>,
    pub confidence: Option<f64>,
    pub inference_reason: Option<String>,
    pub citations: Vec<Citation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_by_their_property() {
        assert_eq!(
            ClaimValue::parse(ClaimProperty::Openness, "Closed"),
            Ok(ClaimValue::Openness(Openness::Closed))
        );
        assert_eq!(
            ClaimValue::parse(ClaimProperty::StartDate, "2014-05")
                .map(|v| v.to_string())
                .as_deref(),
            Ok("2014-05")
        );
        assert!(ClaimValue::parse(ClaimProperty::EndDate, "late january").is_err());
        assert!(ClaimValue::parse(ClaimProperty::Openness, "ajar").is_err());
        assert_eq!(
            ClaimValue::parse(ClaimProperty::DateStatus, "tbd"),
            Ok(ClaimValue::DateStatus(DateStatus::Tbd))
        );
        assert!(ClaimValue::parse(ClaimProperty::Location, " ").is_err());
        assert_eq!("startdate".parse::<ClaimProperty>(), Ok(ClaimProperty::StartDate));
    }

    #[test]
    fn provenance_follows_the_evidence_type() {
        let page = Source {
            document: super::super::DocumentRef::Url("https://example.org/".into()),
            quote: Some("closed meeting".into()),
        };
        let mut claim = NewClaim::asserted(
            ClaimProperty::Openness,
            ClaimValue::Openness(Openness::Closed),
            std::slice::from_ref(&page),
        );
        assert_eq!(claim.check(), Ok(()));
        claim.evidence_type = EvidenceType::SeedQuote;
        assert!(claim.check().is_err(), "a web page is not a seed document");
        claim.evidence_type = EvidenceType::PublicSource;
        assert_eq!(claim.check(), Ok(()));
        claim.evidence_type = EvidenceType::Inferred;
        claim.inference_reason = Some("invitation only".into());
        assert!(claim.check().is_err(), "an inference needs a confidence");
        claim.confidence = Some(1.0);
        assert!(claim.check().is_err(), "an inference is not certain");
        claim.confidence = Some(0.6);
        assert_eq!(claim.check(), Ok(()));
    }
}
