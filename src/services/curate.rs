//! Curators' writes, checked field by field before anything is written: the precise
//! `BAD_USER_INPUT` errors of the mutations (naming the field), refs resolved, provenance
//! required, ids derived from labels when absent. The checks that depend on the store's current
//! content run again inside the write (see `write` below and `services::writes`), so two writers
//! cannot race past them.

use super::catalog::Catalog;
use super::explore::QueryError;
use crate::model::{
    Change, ClaimProperty, ClaimValue, DocumentRef, EntityKind, EntityPatch, EvidenceType, NewClaim, NewEntity,
    NewRelation, Openness, PartialDate, Predicate, RelationKind, Slug, Source,
};
use crate::store::{RelationProperty, Store};

/// A source as a curator gives it: a document (URL, document id or label, seed file name) and
/// a quote.
#[derive(Clone, Debug, Default)]
pub struct SourceInput {
    pub document: String,
    pub quote: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct EntityInput {
    pub id: Option<String>,
    pub label: String,
    pub kind: Option<EntityKind>,
    pub openness: Option<Openness>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub location: Option<String>,
    pub sources: Vec<SourceInput>,
    pub claims: Vec<ClaimInput>,
}

/// A claim as a curator gives it: a property, a value and its provenance.
#[derive(Clone, Debug)]
pub struct ClaimInput {
    pub property: String,
    pub value: String,
    pub evidence_type: EvidenceType,
    pub confidence: Option<f64>,
    pub inference_reason: Option<String>,
    pub sources: Vec<SourceInput>,
}

#[derive(Clone, Debug, Default)]
pub struct RelationInput {
    pub source: String,
    pub target: String,
    pub kind: Option<RelationKind>,
    pub predicate: Option<String>,
    pub sources: Vec<SourceInput>,
}

fn bad(field: &'static str, message: impl Into<String>) -> QueryError {
    QueryError::BadInput {
        field,
        message: message.into(),
    }
}

fn text(field: &'static str, value: &str) -> Result<String, QueryError> {
    let value = value.trim();
    if value.is_empty() {
        Err(bad(field, "must not be empty"))
    } else {
        Ok(value.to_owned())
    }
}

fn optional_text(field: &'static str, value: Option<&String>) -> Result<Option<String>, QueryError> {
    value.map(|value| text(field, value)).transpose()
}

fn date(field: &'static str, value: Option<&String>) -> Result<Option<PartialDate>, QueryError> {
    value
        .map(|value| value.parse::<PartialDate>().map_err(|message| bad(field, message)))
        .transpose()
}

fn dates_in_order(start: Option<PartialDate>, end: Option<PartialDate>) -> Result<(), QueryError> {
    match (start, end) {
        (Some(start), Some(end)) if end.is_before(&start) => {
            Err(bad("endDate", format!("{end} is before the start date {start}")))
        }
        _ => Ok(()),
    }
}

/// Checks provenance: at least one source, each naming a known document.
fn sources(catalog: &Catalog, store: &Store, inputs: &[SourceInput]) -> Result<Vec<Source>, QueryError> {
    if inputs.is_empty() {
        return Err(bad(
            "sources",
            "every write needs its provenance: give at least one source",
        ));
    }
    inputs
        .iter()
        .map(|input| {
            let name = text("sources.document", &input.document)?;
            let document = if name.starts_with("http://") || name.starts_with("https://") {
                DocumentRef::parse(&name).map_err(|message| bad("sources.document", message))?
            } else if let Some(id) = store.seed_document(&name)? {
                DocumentRef::Entity(Slug::trusted(id))
            } else {
                let id = catalog.resolve_id(&name).map_err(|_| {
                    bad(
                        "sources.document",
                        format!("unknown document `{name}`: give a URL, a document's id or label, or a seed file name"),
                    )
                })?;
                DocumentRef::Entity(Slug::trusted(id))
            };
            Ok(Source {
                document,
                quote: optional_text("sources.quote", input.quote.as_ref())?,
            })
        })
        .collect()
}

/// Claims from a curator's input, each checked (property, value, provenance).
pub fn claims(catalog: &Catalog, store: &Store, inputs: &[ClaimInput]) -> Result<Vec<NewClaim>, QueryError> {
    inputs
        .iter()
        .map(|input| {
            let property = input
                .property
                .parse::<ClaimProperty>()
                .map_err(|message| bad("claims.property", message))?;
            let value = ClaimValue::parse(property, &input.value).map_err(|message| bad("claims.value", message))?;
            let sources = match input.sources.is_empty() {
                true => Vec::new(),
                false => sources(catalog, store, &input.sources)?,
            };
            let claim = NewClaim {
                property,
                value,
                evidence_type: input.evidence_type,
                confidence: input.confidence,
                inference_reason: input.inference_reason.clone(),
                sources,
            };
            claim.check().map_err(|message| bad("claims", message))?;
            Ok(claim)
        })
        .collect()
}

/// A new entity from a curator's input; `taken` says whether an id is in use.
pub fn new_entity(catalog: &Catalog, store: &Store, input: &EntityInput) -> Result<NewEntity, QueryError> {
    let label = text("label", &input.label)?;
    let kind = input.kind.ok_or_else(|| bad("kind", "is required"))?;
    let id = match &input.id {
        Some(id) => {
            let id = Slug::parse(id.trim()).map_err(|message| bad("id", message))?;
            if catalog.summary(id.as_str()).is_some() || store.entity_exists(&id)? {
                return Err(bad("id", format!("an entity `{id}` already exists")));
            }
            id
        }
        None => {
            let base = Slug::from_label(&label)
                .ok_or_else(|| bad("label", "has no letters or digits to make an id from; give an id"))?;
            let mut candidate = base.clone();
            let mut counter = 2;
            while catalog.summary(candidate.as_str()).is_some() || store.entity_exists(&candidate)? {
                candidate = Slug::trusted(format!("{base}-{counter}"));
                counter += 1;
            }
            candidate
        }
    };
    let (start_date, end_date) = (
        date("startDate", input.start_date.as_ref())?,
        date("endDate", input.end_date.as_ref())?,
    );
    dates_in_order(start_date, end_date)?;
    let aliases = input
        .aliases
        .iter()
        .map(|alias| text("aliases", alias))
        .collect::<Result<_, _>>()?;
    Ok(NewEntity {
        id,
        label,
        kind,
        openness: input.openness,
        openness_note: None,
        aliases,
        description: optional_text("description", input.description.as_ref())?,
        start_date,
        end_date,
        location: optional_text("location", input.location.as_ref())?,
        sources: sources(catalog, store, &input.sources)?,
        claims: claims(catalog, store, &input.claims)?,
    })
}

/// A ref's error as one sentence, with the closest entities or the candidates.
fn error_with_choices(error: QueryError) -> String {
    let listed = |pairs: &[(String, String)]| {
        pairs
            .iter()
            .map(|(id, label)| format!("{id} ({label})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &error {
        QueryError::NotFound { suggestions, .. } if !suggestions.is_empty() => {
            format!("{error}; did you mean: {}", listed(suggestions))
        }
        QueryError::Ambiguous { candidates, .. } => format!("{error}: {}", listed(candidates)),
        _ => error.to_string(),
    }
}

/// A new relation from a curator's input, with its property.
pub fn new_relation(
    catalog: &Catalog,
    store: &Store,
    input: &RelationInput,
) -> Result<(NewRelation, RelationProperty), QueryError> {
    let endpoint = |field: &'static str, reference: &str| {
        catalog
            .resolve_id(reference)
            .map(Slug::trusted)
            .map_err(|error| bad(field, error_with_choices(error)))
    };
    let source = endpoint("source", &input.source)?;
    let target = endpoint("target", &input.target)?;
    if source == target {
        return Err(bad("target", "a relation may not link an entity to itself"));
    }
    let kind = input.kind.ok_or_else(|| bad("kind", "is required"))?;
    let predicate =
        Predicate::parse(input.predicate.as_deref().unwrap_or("")).map_err(|message| bad("predicate", message))?;
    let property = store.relation_property(&predicate)?.ok_or_else(|| {
        bad("predicate", "is not a relation property of the ontology (e.g. `inspired`, `partOf`, or the IRI of a sub-property of gg:relatedTo)")
    })?;
    if let Some(message) = store.kind_mismatch(&property, kind)? {
        return Err(bad("kind", message));
    }
    let sources = sources(catalog, store, &input.sources)?;
    let evidence_type = match sources.first() {
        Some(Source {
            document: DocumentRef::Url(_),
            quote: Some(_),
        }) => EvidenceType::PublicSource,
        Some(Source {
            document: DocumentRef::Entity(_),
            quote: Some(_),
        }) => EvidenceType::SeedQuote,
        _ => EvidenceType::Asserted,
    };
    let relation = NewRelation {
        source,
        target,
        predicate,
        kind,
        evidence_type,
        confidence: None,
        inference_reason: None,
        sources,
    };
    if store.relation_exists(&relation, &property)? {
        let id = crate::store::new_relation_id(&relation, &property);
        return Err(bad("predicate", format!("the relation `{id}` already exists")));
    }
    Ok((relation, property))
}

/// Checks a patch against the entity's current dates.
pub fn check_patch(catalog: &Catalog, id: &str, patch: &EntityPatch) -> Result<(), QueryError> {
    let current = catalog.summary(id).ok_or_else(|| QueryError::NotFound {
        reference: id.to_owned(),
        suggestions: catalog.suggest(id, 5),
    })?;
    if let Some(label) = &patch.label {
        text("label", label)?;
    }
    if let Some(aliases) = &patch.aliases {
        for alias in aliases {
            text("aliases", alias)?;
        }
    }
    let resolve = |change: &Change<PartialDate>, now: Option<PartialDate>| match change {
        Change::Keep => now,
        Change::Clear => None,
        Change::Set(value) => Some(*value),
    };
    dates_in_order(
        resolve(&patch.start_date, current.start()),
        resolve(&patch.end_date, current.end()),
    )
}

/// Parses a date given in a patch.
pub fn patch_date(field: &'static str, value: &str) -> Result<PartialDate, QueryError> {
    value.parse().map_err(|message| bad(field, message))
}

/// Checks a patch's text.
pub fn patch_text(field: &'static str, value: &str) -> Result<String, QueryError> {
    text(field, value)
}

/// The graph curators' writes go to.
const CURATED_GRAPH: &str = "https://w3id.org/govgraph/graph/curated";

/// The mutations, as the write path runs them (`services::writes::apply`): the checks against
/// the catalog of the moment, the store's write, and what it touched and changed.
pub mod write {
    use super::{ClaimInput, EntityInput, RelationInput, check_patch, claims, new_entity, new_relation};
    use crate::model::EntityPatch;
    use crate::services::catalog::Catalog;
    use crate::services::changes::{ChangeOp, GraphChange, Touched};
    use crate::services::explore::QueryError;
    use crate::services::writes::{WriteError, Written};
    use crate::store::{Store, new_relation_id};

    /// Creates an entity in the curated graph; its id.
    pub fn create_entity(store: &Store, catalog: &Catalog, input: &EntityInput) -> Result<Written<String>, WriteError> {
        let entity = new_entity(catalog, store, input)?;
        store.create(
            std::slice::from_ref(&entity),
            &[],
            &Store::graph_name(super::CURATED_GRAPH)?,
        )?;
        let id = entity.id.to_string();
        Ok(Written::described(
            id.clone(),
            Touched::entity(id.clone()),
            vec![GraphChange::entity(ChangeOp::Created, id)],
        ))
    }

    /// Changes an entity's own fields; `given` claims replace every claim of their properties.
    pub fn update_entity(
        store: &Store,
        catalog: &Catalog,
        id: &str,
        patch: &EntityPatch,
        given: &[ClaimInput],
    ) -> Result<Written<()>, WriteError> {
        let patch = EntityPatch {
            claims: claims(catalog, store, given)?,
            ..patch.clone()
        };
        check_patch(catalog, id, &patch)?;
        store.update_entity(id, &patch)?;
        Ok(Written::described(
            (),
            Touched::entity(id),
            vec![GraphChange::entity(ChangeOp::Updated, id)],
        ))
    }

    /// Deletes an entity and its relations, unless it is cited as a source.
    pub fn delete_entity(store: &Store, catalog: &Catalog, id: &str) -> Result<Written<bool>, WriteError> {
        if catalog.summary(id).is_none() {
            return Err(QueryError::NotFound {
                reference: id.to_owned(),
                suggestions: catalog.suggest(id, 5),
            }
            .into());
        }
        let citations = store.cited_as_source(id)?;
        if citations > 0 {
            return Err(QueryError::BadInput {
                field: "id",
                message: format!("`{id}` is cited as the source of {citations} statement(s); change those first"),
            }
            .into());
        }
        let deleted = store.delete_entity(id)?;
        // Its relations go with it: subscribers hear of each.
        let mut changes = vec![GraphChange::entity(ChangeOp::Deleted, id)];
        if let Some(node) = catalog.projection.node(id) {
            changes.extend(
                catalog
                    .projection
                    .edges_of(node)
                    .map(|edge| GraphChange::relation(ChangeOp::Deleted, catalog.projection.relation_id(edge))),
            );
        }
        Ok(Written::described(deleted, Touched::entity(id), changes))
    }

    /// Creates a relation in the curated graph; its id.
    pub fn create_relation(
        store: &Store,
        catalog: &Catalog,
        input: &RelationInput,
    ) -> Result<Written<String>, WriteError> {
        let (relation, property) = new_relation(catalog, store, input)?;
        let graph = Store::graph_name(super::CURATED_GRAPH)?;
        store.create(&[], &[(relation.clone(), property.clone())], &graph)?;
        let id = new_relation_id(&relation, &property);
        Ok(Written::described(
            id.clone(),
            Touched::relation(id.clone()),
            vec![GraphChange::relation(ChangeOp::Created, id)],
        ))
    }

    /// Deletes a relation, and the triples it alone implied.
    pub fn delete_relation(store: &Store, catalog: &Catalog, id: &str) -> Result<Written<bool>, WriteError> {
        if catalog.projection.relation(id).is_none() {
            return Err(QueryError::NotFound {
                reference: id.to_owned(),
                suggestions: Vec::new(),
            }
            .into());
        }
        let deleted = store.delete_relation(id)?;
        Ok(Written::described(
            deleted,
            Touched::relation(id),
            vec![GraphChange::relation(ChangeOp::Deleted, id)],
        ))
    }
}
