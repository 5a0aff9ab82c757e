//! The domain: what an entity, a relation, a date and a source are, independent of RDF, GraphQL
//! and petgraph. Every layer speaks these types; `store` maps them to and from RDF.

use std::fmt;
use std::str::FromStr;

mod claim;
pub mod quote;
pub use claim::{Claim, ClaimProperty, ClaimValue, NewClaim};

/// Declares a closed set of values with the token that names each in CSV, the CLI and the API.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident ($what:literal) { $($variant:ident => $token:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The token that names this value in CSV files, the CLI and the API.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $token),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(value: &str) -> Result<Self, String> {
                let wanted = value.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|candidate| candidate.name().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| {
                        let names: Vec<&str> = Self::ALL.iter().map(|v| v.name()).collect();
                        format!("unknown {} `{}` (expected one of: {})", $what, wanted, names.join(", "))
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
pub(crate) use named_enum;

named_enum! {
    /// The diagram's legend (discussion space, meeting / event, document), plus organizations and
    /// persons.
    EntityKind ("kind") {
        Organization => "organization",
        Meeting => "meeting",
        Document => "document",
        DiscussionSpace => "discussion_space",
        Person => "person",
    }
}

named_enum! {
    /// "open or partially open" / "closed or partially closed".
    Openness ("openness") { Open => "open", Closed => "closed" }
}

named_enum! {
    /// Direct: one item organises, produces, prepares or continues the other. Indirect: influence,
    /// discussion or input.
    RelationKind ("relation kind") { Direct => "direct", Indirect => "indirect" }
}

named_enum! {
    /// How a relation is known. The tokens are GraphQL's enum names in lower case, as for every
    /// enum here.
    EvidenceType ("evidence type") {
        SeedQuote => "seed_quote",
        PublicSource => "public_source",
        Inferred => "inferred",
        Asserted => "asserted",
    }
}

named_enum! {
    /// Why an entity has no ISO date.
    DateStatus ("date status") { Tbd => "tbd", Ongoing => "ongoing", Unknown => "unknown" }
}

/// A stable entity id: lowercase ASCII words joined by single hyphens.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub fn parse(value: &str) -> Result<Self, String> {
        let valid = !value.is_empty()
            && value
                .split('-')
                .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if valid {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!(
                "invalid id `{value}`: use lowercase ASCII letters and digits joined by single hyphens, e.g. `igf-2014-istanbul`"
            ))
        }
    }

    /// Derives a slug from a label: accents folded, everything else than letters and digits
    /// turned into single hyphens. `None` when nothing is left (a label of punctuation only).
    pub fn from_label(label: &str) -> Option<Self> {
        let folded = fold(label);
        let words: Vec<&str> = folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty())
            .collect();
        (!words.is_empty()).then(|| Self(words.join("-")))
    }

    /// For ids govgraph builds itself from valid parts (`meeting-42`).
    pub(crate) fn trusted(value: String) -> Self {
        debug_assert!(Self::parse(&value).is_ok(), "{value} is not a valid slug");
        Self(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lowercases and strips accents ("São Paulo" -> "sao paulo"), for matching and for slugs.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Most text is ASCII, which decomposition leaves as it is: the fast way gives the same.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// An ISO 8601 calendar date that may be partial: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// True when every day this date may denote comes before every day `other` may denote, so
    /// that "2014" is not before "2014-05" but "2014-04" is before "2014-05-01".
    pub fn is_before(&self, other: &PartialDate) -> bool {
        let common = self.precision().min(other.precision());
        self.truncated(common) < other.truncated(common)
    }

    fn precision(&self) -> u8 {
        match (self.month, self.day) {
            (None, _) => 0,
            (Some(_), None) => 1,
            (Some(_), Some(_)) => 2,
        }
    }

    fn truncated(&self, precision: u8) -> (i32, u8, u8) {
        (
            self.year,
            if precision >= 1 { self.month.unwrap_or(0) } else { 0 },
            if precision >= 2 { self.day.unwrap_or(0) } else { 0 },
        )
    }

    /// The first and the last day this date may denote, as days since 1970-01-01.
    pub fn day_range(&self) -> DayRange {
        let first_month = self.month.unwrap_or(1);
        let last_month = self.month.unwrap_or(12);
        let first_day = self.day.unwrap_or(1);
        let last_day = self
            .day
            .unwrap_or_else(|| days_in_month(self.year, u32::from(last_month)) as u8);
        DayRange {
            earliest: days_from_civil(self.year, first_month, first_day),
            latest: days_from_civil(self.year, last_month, last_day),
        }
    }

    /// The XML Schema datatype local name for this precision.
    pub fn xsd_type(&self) -> &'static str {
        match self.precision() {
            0 => "gYear",
            1 => "gYearMonth",
            _ => "date",
        }
    }
}

impl FromStr for PartialDate {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        let invalid = || format!("invalid date `{value}`: expected YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = value.trim().split('-').collect();
        let number = |text: &str, digits: usize| -> Result<u32, String> {
            if text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()) {
                text.parse().map_err(|_| invalid())
            } else {
                Err(invalid())
            }
        };
        let (year, month, day) = match parts.as_slice() {
            [y] => (number(y, 4)?, None, None),
            [y, m] => (number(y, 4)?, Some(number(m, 2)?), None),
            [y, m, d] => (number(y, 4)?, Some(number(m, 2)?), Some(number(d, 2)?)),
            _ => return Err(invalid()),
        };
        let year = i32::try_from(year).map_err(|_| invalid())?;
        if let Some(month) = month {
            if !(1..=12).contains(&month) {
                return Err(format!("invalid date `{value}`: there is no month {month}"));
            }
            if let Some(day) = day {
                let last = days_in_month(year, month);
                if day == 0 || day > last {
                    return Err(format!(
                        "invalid date `{value}`: month {month} of {year} has {last} days"
                    ));
                }
            }
        }
        Ok(Self {
            year,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }
}

/// An interval of days (days since 1970-01-01, both ends included): what a partial date denotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DayRange {
    pub earliest: i32,
    pub latest: i32,
}

impl DayRange {
    /// The `latest` of a range with no last day: an ongoing entity's span.
    pub const OPEN_END: i32 = i32::MAX;

    /// The days an entity may cover, from the first day of its start to the last day of its end
    /// (either standing for the other when missing, and the later last day winning when the
    /// dates disagree). An ongoing entity without an end runs on: its span has no last day
    /// ([`Self::OPEN_END`]), so every window from its start onwards meets it. An end, when the
    /// sources give one, wins over the status. `None` when the entity has neither date.
    pub fn span(start: Option<DayRange>, end: Option<DayRange>, ongoing: bool) -> Option<DayRange> {
        let first = start.or(end)?;
        let latest = match end {
            Some(end) => end.latest.max(first.latest),
            None if ongoing => Self::OPEN_END,
            None => first.latest,
        };
        Some(DayRange {
            earliest: first.earliest,
            latest,
        })
    }

    /// Whether the two intervals share a day.
    pub fn overlaps(&self, other: &DayRange) -> bool {
        self.earliest <= other.latest && other.earliest <= self.latest
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i32, month: u8, day: u8) -> i32 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i32::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i32::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The year of a day counted as [`days_from_civil`] counts (the inverse of it, year only:
/// Hinnant's `civil_from_days`).
pub fn year_of_day(days: i32) -> i32 {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    // January and February count in the year after the March that starts theirs.
    year_of_era + era * 400 + i32::from(month_from_march >= 10)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

/// Where a statement comes from: a document (an entity id, or a URL) and optionally the quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub document: DocumentRef,
    pub quote: Option<String>,
}

/// The document a source points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentRef {
    /// A document entity of the graph (e.g. one of the seed documents).
    Entity(Slug),
    /// A public web page.
    Url(String),
    /// A file imported without a cited source: the file itself is the provenance.
    ImportedFile(String),
}

impl DocumentRef {
    /// Reads a user-given reference: `http(s)://...` is a URL, anything else an entity id.
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        if value.starts_with("http://") || value.starts_with("https://") {
            if value.contains(char::is_whitespace) {
                return Err(format!("invalid URL `{value}`: it contains whitespace"));
            }
            Ok(Self::Url(value.to_owned()))
        } else {
            Slug::parse(value).map(Self::Entity)
        }
    }
}

/// An entity as written by a curator (CSV import, generator, later the API).
#[derive(Clone, Debug, PartialEq)]
pub struct NewEntity {
    pub id: Slug,
    pub label: String,
    pub kind: EntityKind,
    pub openness: Option<Openness>,
    /// Why the entity is open or closed.
    pub openness_note: Option<String>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub start_date: Option<PartialDate>,
    pub end_date: Option<PartialDate>,
    pub location: Option<String>,
    pub sources: Vec<Source>,
    /// Where the values come from; a value without a claim of its own gets an asserted one
    /// citing `sources` (`NewEntity::claims_to_write`).
    pub claims: Vec<NewClaim>,
}

impl NewEntity {
    /// The values the entity states, by claim property.
    pub fn values(&self) -> Vec<(ClaimProperty, ClaimValue)> {
        let mut values = Vec::new();
        if let Some(openness) = self.openness {
            values.push((ClaimProperty::Openness, ClaimValue::Openness(openness)));
        }
        if let Some(date) = self.start_date {
            values.push((ClaimProperty::StartDate, ClaimValue::Date(date)));
        }
        if let Some(date) = self.end_date {
            values.push((ClaimProperty::EndDate, ClaimValue::Date(date)));
        }
        if let Some(location) = &self.location {
            values.push((ClaimProperty::Location, ClaimValue::Text(location.clone())));
        }
        if let Some(status) = self.date_status() {
            values.push((ClaimProperty::DateStatus, ClaimValue::DateStatus(status)));
        }
        values
    }

    /// A meeting without a date says its date is unknown; nothing else states a date status.
    pub fn date_status(&self) -> Option<DateStatus> {
        (self.kind == EntityKind::Meeting && self.start_date.is_none()).then_some(DateStatus::Unknown)
    }

    /// The claims to store: the curator's, and an asserted one for each stated value that has
    /// none, so that every value carries provenance.
    pub fn claims_to_write(&self) -> Vec<NewClaim> {
        let mut claims = self.claims.clone();
        for (property, value) in self.values() {
            if !self.claims.iter().any(|c| c.property == property && c.value == value) {
                claims.push(NewClaim::asserted(property, value, &self.sources));
            }
        }
        claims
    }
}

/// What a patch does to one field.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Change<T> {
    /// Leave the field as it is.
    #[default]
    Keep,
    /// Remove the field.
    Clear,
    /// Replace the field's value(s).
    Set(T),
}

/// Changes to an entity's own fields, as given by a curator.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntityPatch {
    pub label: Option<String>,
    pub openness: Change<Openness>,
    pub aliases: Option<Vec<String>>,
    pub description: Change<String>,
    pub start_date: Change<PartialDate>,
    pub end_date: Change<PartialDate>,
    pub location: Change<String>,
    /// New claims: they replace every claim of their properties.
    pub claims: Vec<NewClaim>,
}

/// A relation's property: a local name of the ontology (`inspired`) or a full IRI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Predicate {
    /// The generic "related to".
    RelatedTo,
    Name(String),
    Iri(String),
}

impl Predicate {
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        if value.is_empty() {
            Ok(Self::RelatedTo)
        } else if value.contains("://") {
            Ok(Self::Iri(value.to_owned()))
        } else if value.chars().all(|c| c.is_ascii_alphanumeric()) {
            Ok(Self::Name(value.to_owned()))
        } else {
            Err(format!(
                "invalid predicate `{value}`: give a property name of the ontology (e.g. `inspired`) or a full IRI"
            ))
        }
    }
}

/// A relation as written by a curator.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRelation {
    pub source: Slug,
    pub target: Slug,
    pub predicate: Predicate,
    pub kind: RelationKind,
    pub evidence_type: EvidenceType,
    pub confidence: Option<f64>,
    pub inference_reason: Option<String>,
    pub sources: Vec<Source>,
}

/// Where a stored statement comes from, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    /// What to show: a seed document's file name, a URL, or an imported file's name.
    pub document: String,
    /// The document's IRI.
    pub document_iri: String,
    /// The document's id when it is an entity of the graph.
    pub document_entity: Option<String>,
    pub title: Option<String>,
    pub quote: Option<String>,
}

/// An entity as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub id: String,
    pub iri: String,
    pub label: String,
    pub aliases: Vec<String>,
    pub kind: EntityKind,
    pub openness: Option<Openness>,
    pub openness_note: Option<String>,
    pub description: Option<String>,
    pub start_date: Option<PartialDate>,
    pub end_date: Option<PartialDate>,
    pub date_status: Option<DateStatus>,
    pub date_note: Option<String>,
    pub location: Option<String>,
    /// A UN document symbol, for resolutions and reports.
    pub identifier: Option<String>,
    /// The overarching theme a meeting gave itself.
    pub theme: Option<String>,
    pub citations: Vec<Citation>,
    pub claims: Vec<Claim>,
}

/// A relation as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    pub id: String,
    pub iri: String,
    pub source: String,
    pub target: String,
    pub predicate: String,
    pub predicate_label: String,
    pub inverse_label: String,
    pub kind: RelationKind,
    pub evidence_type: Option<EvidenceType>,
    pub confidence: Option<f64>,
    pub inference_reason: Option<String>,
    /// When a role the relation states began and ended (a chair's years), where sources say.
    pub start_date: Option<PartialDate>,
    pub end_date: Option<PartialDate>,
    pub citations: Vec<Citation>,
}

/// What the graph projection needs of an entity.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntitySummary {
    pub id: String,
    pub kind: EntityKind,
    pub openness: Option<Openness>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    /// `gg:dateStatus gg:Ongoing`: without an end, the entity's span has no last day.
    pub ongoing: bool,
    pub label: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

/// What the graph projection needs of a relation.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RelationSummary {
    pub id: String,
    pub source: String,
    pub target: String,
    pub predicate: String,
    pub kind: RelationKind,
    pub evidence_type: Option<EvidenceType>,
    pub confidence: Option<f64>,
    /// The IRIs of the documents cited as its evidence, sorted.
    pub documents: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_of_day_inverts_days_from_civil() {
        for year in -800..3200 {
            for month in 1..=12_u8 {
                let last = days_in_month(year, u32::from(month)) as u8;
                for day in [1, 2, 15, last - 1, last] {
                    let days = days_from_civil(year, month, day);
                    assert_eq!(year_of_day(days), year, "{year}-{month}-{day} ({days})");
                }
            }
        }
    }

    #[test]
    fn slugs_are_validated_and_derived() {
        assert!(Slug::parse("igf-2014-istanbul").is_ok());
        for bad in ["", "IGF", "a--b", "-a", "a-", "são", "a b"] {
            assert!(Slug::parse(bad).is_err(), "{bad} should be rejected");
        }
        assert_eq!(
            Slug::from_label("São Paulo / NETmundial").unwrap().as_str(),
            "sao-paulo-netmundial"
        );
        assert_eq!(Slug::from_label("/1net").unwrap().as_str(), "1net");
        assert!(Slug::from_label("—").is_none());
    }

    #[test]
    fn partial_dates_parse_and_reject_impossible_ones() {
        assert_eq!("2014".parse::<PartialDate>().unwrap().to_string(), "2014");
        assert_eq!("2014-05".parse::<PartialDate>().unwrap().xsd_type(), "gYearMonth");
        assert_eq!("2012-02-29".parse::<PartialDate>().unwrap().day, Some(29));
        for bad in [
            "2014-13-45",
            "2014-13",
            "2013-02-29",
            "14-05-01",
            "2014-5",
            "soon",
            "2014-04-31",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn partial_dates_compare_on_their_common_precision() {
        let date = |s: &str| s.parse::<PartialDate>().unwrap();
        assert!(date("2014-04").is_before(&date("2014-05-01")));
        assert!(!date("2014").is_before(&date("2014-05")));
        assert!(!date("2014-05-03").is_before(&date("2014-05")));
        assert!(date("2013-12-31").is_before(&date("2014")));
    }

    #[test]
    fn partial_dates_denote_day_ranges() {
        let range = |s: &str| s.parse::<PartialDate>().unwrap().day_range();
        assert_eq!(range("1970-01-01"), DayRange { earliest: 0, latest: 0 });
        assert_eq!(
            range("2000-02"),
            DayRange {
                earliest: 10_988,
                latest: 11_016
            }
        );
        assert_eq!(range("2014").latest - range("2014").earliest, 364);
        assert!(range("2014").overlaps(&range("2014-05")));
        assert!(!range("2013").overlaps(&range("2014-01-01")));
    }

    #[test]
    fn an_ongoing_entity_without_an_end_has_no_last_day() {
        let range = |s: &str| Some(s.parse::<PartialDate>().unwrap().day_range());
        let span = DayRange::span(range("2013-03-22"), None, true).unwrap();
        assert_eq!(span.earliest, range("2013-03-22").unwrap().earliest);
        assert_eq!(span.latest, DayRange::OPEN_END);
        assert_eq!(DayRange::span(range("2013-03-22"), None, false), range("2013-03-22"));
        assert_eq!(
            DayRange::span(range("2004-10"), range("2014"), true).unwrap().latest,
            range("2014").unwrap().latest,
            "an end wins over the status"
        );
        assert_eq!(DayRange::span(None, None, true), None, "ongoing but undated");
        assert_eq!(
            DayRange::span(range("2015"), range("2014"), false).unwrap().latest,
            range("2015").unwrap().latest,
            "an end before the start does not shorten the start"
        );
    }

    #[test]
    fn enums_parse_case_insensitively_and_list_choices_on_error() {
        assert_eq!(
            "Discussion_Space".parse::<EntityKind>(),
            Ok(EntityKind::DiscussionSpace)
        );
        let error = "venue".parse::<EntityKind>().unwrap_err();
        assert!(
            error.contains("organization, meeting, document, discussion_space, person"),
            "{error}"
        );
    }

    #[test]
    fn fold_strips_accents_and_case() {
        assert_eq!(fold("São Paulo"), "sao paulo");
        assert_eq!(fold("NETmundial"), "netmundial");
    }
}
