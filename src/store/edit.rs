//! Online edits of entities and relations (GraphQL mutations): each one transaction that keeps
//! the derived triples right and adds a change-log entry. Updated values stay in the graph the
//! entity was first described in, so withdrawing a source still withdraws what it said.

use super::description::Typed;
use super::materialize::{Closure, Schema};
use super::vocab::*;
use super::writer::Writer;
use super::{Store, StoreError};
use crate::model::{Change, ClaimProperty, DateStatus, EntityKind, EntityPatch, NewClaim};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::HashSet;

fn literal(value: &str) -> Term {
    Literal::new_simple_literal(value).into()
}

fn date(value: crate::model::PartialDate) -> Term {
    Literal::new_typed_literal(
        value.to_string(),
        NamedNode::new_unchecked(format!("{XSD}{}", value.xsd_type())),
    )
    .into()
}

/// Every quad with this subject and predicate, in any graph.
fn statements(
    transaction: &Writer<'_>,
    subject: &NamedNode,
    predicate: NamedNodeRef<'_>,
) -> Result<Vec<Quad>, StoreError> {
    Ok(transaction
        .quads_for_pattern(Some(subject.as_ref().into()), Some(predicate), None, None)
        .collect::<Result<_, _>>()?)
}

/// Replaces the values of one property: removed everywhere, written into `graph`.
fn replace(
    transaction: &mut Writer<'_>,
    subject: &NamedNode,
    predicate: NamedNodeRef<'_>,
    values: &[Term],
    graph: &GraphName,
) -> Result<(), StoreError> {
    for quad in statements(transaction, subject, predicate)? {
        transaction.remove(&quad);
    }
    for value in values {
        transaction.insert(&Quad::new(subject.clone(), predicate, value.clone(), graph.clone()));
    }
    Ok(())
}

impl Store {
    /// Applies a patch to an entity; `false` if there is no such entity. The caller has checked
    /// the values (including dates against the current ones).
    pub fn update_entity(&self, id: &str, patch: &EntityPatch) -> Result<bool, StoreError> {
        let entity = NamedNode::new_unchecked(entity_iri(id));
        let mut transaction = self.begin()?;
        let typed: Vec<Quad> = statements(&transaction, &entity, RDF_TYPE)?;
        let Some(home) = typed
            .iter()
            .find(|quad| quad.object == Term::from(GG_ENTITY.into_owned()))
            .map(|quad| quad.graph_name.clone())
        else {
            return Ok(false);
        };
        let is_meeting = typed
            .iter()
            .any(|quad| quad.object == Term::from(kind_class(EntityKind::Meeting).into_owned()));
        let before = claimed_values(&transaction, &entity)?;
        if let Some(label) = &patch.label {
            replace(&mut transaction, &entity, RDFS_LABEL, &[literal(label)], &home)?;
        }
        if let Some(aliases) = &patch.aliases {
            let values: Vec<Term> = aliases.iter().map(|alias| literal(alias)).collect();
            replace(&mut transaction, &entity, SKOS_ALT_LABEL, &values, &home)?;
        }
        let simple: [(NamedNodeRef<'_>, &Change<String>); 2] = [
            (DCTERMS_DESCRIPTION, &patch.description),
            (SCHEMA_LOCATION, &patch.location),
        ];
        for (property, change) in simple {
            match change {
                Change::Keep => {}
                Change::Clear => replace(&mut transaction, &entity, property, &[], &home)?,
                Change::Set(value) => replace(&mut transaction, &entity, property, &[literal(value)], &home)?,
            }
        }
        match &patch.openness {
            Change::Keep => {}
            Change::Clear => {
                replace(&mut transaction, &entity, GG_OPENNESS, &[], &home)?;
                replace(&mut transaction, &entity, GG_OPENNESS_NOTE, &[], &home)?;
            }
            Change::Set(openness) => replace(
                &mut transaction,
                &entity,
                GG_OPENNESS,
                &[openness_iri(*openness).into()],
                &home,
            )?,
        }
        for (property, change) in [
            (SCHEMA_START_DATE, &patch.start_date),
            (SCHEMA_END_DATE, &patch.end_date),
        ] {
            match change {
                Change::Keep => {}
                Change::Clear => replace(&mut transaction, &entity, property, &[], &home)?,
                Change::Set(value) => replace(&mut transaction, &entity, property, &[date(*value)], &home)?,
            }
        }
        // A date given makes "TBD" wrong, and the note that explained the missing date; but an
        // ongoing entity is still ongoing with a start (its span runs on from it), so only its
        // note goes. A meeting losing its date says so.
        let dated = !statements(&transaction, &entity, SCHEMA_START_DATE)?.is_empty();
        if dated && matches!(patch.start_date, Change::Set(_)) {
            let ongoing = Term::from(date_status_iri(DateStatus::Ongoing));
            let statuses = statements(&transaction, &entity, GG_DATE_STATUS)?;
            if !statuses.iter().any(|quad| quad.object == ongoing) {
                replace(&mut transaction, &entity, GG_DATE_STATUS, &[], &home)?;
            }
            replace(&mut transaction, &entity, GG_DATE_NOTE, &[], &home)?;
        }
        if !dated && is_meeting && statements(&transaction, &entity, GG_DATE_STATUS)?.is_empty() {
            replace(
                &mut transaction,
                &entity,
                GG_DATE_STATUS,
                &[date_status_iri(DateStatus::Unknown).into()],
                &home,
            )?;
        }
        reconcile_claims(&mut transaction, &entity, &home, &before, &patch.claims)?;
        transaction.record_change(&format!("update {id}\n{patch:?}"))?;
        transaction.commit()?;
        Ok(true)
    }

    /// Whether documents cite the entity as a source (then it cannot be deleted).
    pub fn cited_as_source(&self, id: &str) -> Result<usize, StoreError> {
        let entity = NamedNode::new_unchecked(entity_iri(id));
        Ok(self
            .inner
            .quads_for_pattern(None, Some(GG_DOCUMENT_PROP), Some(entity.as_ref().into()), None)
            .count())
    }

    /// Deletes an entity, its evidence and its relations; `false` if there is no such entity.
    pub fn delete_entity(&self, id: &str) -> Result<bool, StoreError> {
        let entity = NamedNode::new_unchecked(entity_iri(id));
        let mut transaction = self.begin()?;
        let exists = transaction.has_type(entity.as_ref(), GG_ENTITY)?;
        if !exists {
            return Ok(false);
        }
        let mut relations = Vec::new();
        for role in [GG_SOURCE, GG_TARGET] {
            for quad in transaction.quads_for_pattern(None, Some(role), Some(entity.as_ref().into()), None) {
                if let NamedOrBlankNode::NamedNode(node) = quad?.subject
                    && !relations.contains(&node)
                {
                    relations.push(node);
                }
            }
        }
        let closure = Schema::read(|p| transaction.quads_for_pattern(None, Some(p), None, None))?.closure();
        for relation in &relations {
            remove_relation(&mut transaction, &closure, relation)?;
        }
        remove_with_evidence(&mut transaction, &entity)?;
        transaction.record_change(&format!("delete entity {id}"))?;
        transaction.commit()?;
        Ok(true)
    }

    /// Deletes a relation node, its evidence and the triples derived from it (unless another
    /// relation still backs them); `false` if there is no such relation.
    pub fn delete_relation(&self, id: &str) -> Result<bool, StoreError> {
        let relation = NamedNode::new_unchecked(relation_iri(id));
        let mut transaction = self.begin()?;
        let exists = transaction.has_type(relation.as_ref(), GG_RELATION)?;
        if !exists {
            return Ok(false);
        }
        let closure = Schema::read(|p| transaction.quads_for_pattern(None, Some(p), None, None))?.closure();
        remove_relation(&mut transaction, &closure, &relation)?;
        transaction.record_change(&format!("delete relation {id}"))?;
        transaction.commit()?;
        Ok(true)
    }
}

/// The properties claims are about, with the claim property each is.
const CLAIMED: [(NamedNodeRef<'static>, ClaimProperty); 6] = [
    (GG_OPENNESS, ClaimProperty::Openness),
    (SCHEMA_START_DATE, ClaimProperty::StartDate),
    (SCHEMA_END_DATE, ClaimProperty::EndDate),
    (DCTERMS_ISSUED, ClaimProperty::Issued),
    (SCHEMA_LOCATION, ClaimProperty::Location),
    (GG_DATE_STATUS, ClaimProperty::DateStatus),
];

/// The entity's values of every claimed property.
fn claimed_values(
    transaction: &Writer<'_>,
    entity: &NamedNode,
) -> Result<Vec<(NamedNodeRef<'static>, Term)>, StoreError> {
    let mut values = Vec::new();
    for (property, _) in CLAIMED {
        for quad in statements(transaction, entity, property)? {
            values.push((property, quad.object));
        }
    }
    Ok(values)
}

/// A claim node with its property and value, as stored.
type StoredClaim = (NamedOrBlankNode, Option<Term>, Option<Term>);

/// The entity's claim nodes with their property and value.
fn claims_of(transaction: &Writer<'_>, entity: &NamedNode) -> Result<Vec<StoredClaim>, StoreError> {
    let mut claims = Vec::new();
    for quad in statements(transaction, entity, GG_CLAIM_PROP)? {
        let Some(node) = node_of(&quad.object) else { continue };
        let one = |predicate| -> Result<Option<Term>, StoreError> {
            Ok(transaction
                .quads_for_pattern(Some(node.as_ref()), Some(predicate), None, None)
                .next()
                .transpose()?
                .map(|quad| quad.object))
        };
        let (property, value) = (one(GG_PROPERTY)?, one(GG_VALUE)?);
        claims.push((node, property, value));
    }
    Ok(claims)
}

fn node_of(term: &Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(node) => Some(node.clone().into()),
        Term::BlankNode(node) => Some(node.clone().into()),
        Term::Literal(_) => None,
    }
}

/// Keeps every value claimed after a patch: the claims given replace all claims of their
/// properties; a value the patch replaced or removed takes the claims that backed it along
/// (other readings stay); and a value left without a claim gets an asserted one.
fn reconcile_claims(
    transaction: &mut Writer<'_>,
    entity: &NamedNode,
    home: &GraphName,
    before: &[(NamedNodeRef<'static>, Term)],
    given: &[NewClaim],
) -> Result<(), StoreError> {
    let after = claimed_values(transaction, entity)?;
    let replaced: HashSet<NamedNodeRef<'static>> = given.iter().map(|c| claim_property_iri(c.property)).collect();
    let mut last = 0;
    for (node, property, value) in claims_of(transaction, entity)? {
        let property = property.and_then(|p| match p {
            Term::NamedNode(p) => CLAIMED.iter().map(|(iri, _)| *iri).find(|iri| *iri == p.as_ref()),
            _ => None,
        });
        let backed_a_removed_value = property.zip(value).is_some_and(|(property, value)| {
            before.contains(&(property, value.clone())) && !after.contains(&(property, value))
        });
        if property.is_some_and(|p| replaced.contains(&p)) || backed_a_removed_value {
            let link = Term::from(node.clone());
            for quad in statements(transaction, entity, GG_CLAIM_PROP)? {
                if quad.object == link {
                    transaction.remove(&quad);
                }
            }
            remove_claim(transaction, entity, &node)?;
        } else if let NamedOrBlankNode::NamedNode(named) = &node
            && let Some(number) = named
                .as_str()
                .strip_prefix(entity.as_str())
                .and_then(|rest| rest.strip_prefix("#claim-"))
                .and_then(|n| n.parse::<usize>().ok())
        {
            last = last.max(number);
        }
    }
    let mut claims: Vec<NewClaim> = given.to_vec();
    let claimed = |claims: &[NewClaim], property: ClaimProperty, value: &Term| {
        claims
            .iter()
            .any(|c| c.property == property && super::write::claim_value_term(&c.value) == *value)
    };
    let remaining = claims_of(transaction, entity)?;
    for (property_iri, value) in &after {
        let Some((_, property)) = CLAIMED.iter().find(|(iri, _)| iri == property_iri) else {
            continue;
        };
        let kept = remaining
            .iter()
            .any(|(_, p, v)| p.as_ref() == Some(&Term::from(property_iri.into_owned())) && v.as_ref() == Some(value));
        if !kept && !claimed(&claims, *property, value) {
            let Some(value) = super::read::claim_value(*property, value) else {
                continue;
            };
            claims.push(NewClaim::asserted(*property, value, &[]));
        }
    }
    if claims.is_empty() {
        return Ok(());
    }
    let closure = Schema::read(|p| transaction.quads_for_pattern(None, Some(p), None, None))?.closure();
    for quad in super::write::claim_quads(entity, last + 1, &claims, home, closure)? {
        transaction.insert(&quad);
    }
    Ok(())
}

/// Removes a claim node's statements and the evidence nodes only it holds (a claim may point
/// at the entity's own evidence).
fn remove_claim(transaction: &mut Writer<'_>, entity: &NamedNode, claim: &NamedOrBlankNode) -> Result<(), StoreError> {
    let quads: Vec<Quad> = transaction
        .quads_for_pattern(Some(claim.as_ref()), None, None, None)
        .collect::<Result<_, _>>()?;
    for quad in &quads {
        if quad.predicate.as_ref() == GG_EVIDENCE_PROP
            && let Some(evidence) = node_of(&quad.object)
        {
            let held_by_entity = transaction
                .quads_for_pattern(
                    Some(entity.as_ref().into()),
                    Some(GG_EVIDENCE_PROP),
                    Some(quad.object.as_ref()),
                    None,
                )
                .next()
                .is_some();
            if !held_by_entity {
                remove_statements_of(transaction, &evidence)?;
            }
        }
        transaction.remove(quad);
    }
    Ok(())
}

/// Removes every statement of a subject, of its evidence nodes and of its claims.
fn remove_with_evidence(transaction: &mut Writer<'_>, subject: &NamedNode) -> Result<(), StoreError> {
    let quads: Vec<Quad> = transaction
        .quads_for_pattern(Some(subject.as_ref().into()), None, None, None)
        .collect::<Result<_, _>>()?;
    for quad in &quads {
        if quad.predicate.as_ref() == GG_CLAIM_PROP
            && let Some(claim) = node_of(&quad.object)
        {
            remove_claim(transaction, subject, &claim)?;
        }
    }
    for quad in &quads {
        if quad.predicate.as_ref() == GG_EVIDENCE_PROP
            && let Some(evidence) = node_of(&quad.object)
        {
            remove_statements_of(transaction, &evidence)?;
        }
        transaction.remove(quad);
    }
    Ok(())
}

/// Removes every statement whose subject is `node` (an evidence node's document and quote).
fn remove_statements_of(transaction: &mut Writer<'_>, node: &NamedOrBlankNode) -> Result<(), StoreError> {
    let quads: Vec<Quad> = transaction
        .quads_for_pattern(Some(node.as_ref()), None, None, None)
        .collect::<Result<_, _>>()?;
    for quad in &quads {
        transaction.remove(quad);
    }
    Ok(())
}

/// The triples a relation node implies (`materialize::Closure::relation_triples`), read back.
fn implied_by(
    transaction: &Writer<'_>,
    closure: &Closure,
    relation: &NamedOrBlankNode,
) -> Result<Vec<Triple>, StoreError> {
    let one = |property: NamedNodeRef<'_>| -> Result<Option<Term>, StoreError> {
        Ok(transaction
            .quads_for_pattern(Some(relation.as_ref()), Some(property), None, None)
            .next()
            .transpose()?
            .map(|quad| quad.object))
    };
    let (Some(Term::NamedNode(source)), Some(target), Some(Term::NamedNode(predicate))) =
        (one(GG_SOURCE)?, one(GG_TARGET)?, one(GG_PREDICATE)?)
    else {
        return Ok(Vec::new());
    };
    let kind = match one(GG_RELATION_KIND)? {
        Some(Term::NamedNode(kind)) => Some(kind),
        _ => None,
    };
    Ok(closure.relation_triples(&source.into(), &predicate, kind.as_ref(), &target))
}

/// Removes a relation node and what only it implied: a triple it implies stays while another
/// relation node between the same two entities (either way round, for inverse alignments)
/// implies it too.
fn remove_relation(transaction: &mut Writer<'_>, closure: &Closure, relation: &NamedNode) -> Result<(), StoreError> {
    let implied = implied_by(transaction, closure, &relation.clone().into())?;
    remove_with_evidence(transaction, relation)?;
    // The first implied triple is the plain one: its ends are the relation's.
    let Some(first) = implied.first() else {
        return Ok(());
    };
    let ends: [Term; 2] = [first.subject.clone().into(), first.object.clone()];
    let mut still_implied: HashSet<Triple> = HashSet::new();
    for end in &ends {
        let others: Vec<NamedOrBlankNode> = transaction
            .quads_for_pattern(None, Some(GG_SOURCE), Some(end.as_ref()), None)
            .map(|quad| quad.map(|quad| quad.subject))
            .collect::<Result<_, _>>()?;
        for other in others {
            for triple in implied_by(transaction, closure, &other)? {
                let between = [Term::from(triple.subject.clone()), triple.object.clone()];
                if ends.iter().all(|end| between.contains(end)) {
                    still_implied.insert(triple);
                }
            }
        }
    }
    for triple in implied.iter().filter(|triple| !still_implied.contains(*triple)) {
        let quads: Vec<Quad> = transaction
            .quads_for_pattern(
                Some(triple.subject.as_ref()),
                Some(triple.predicate.as_ref()),
                Some(triple.object.as_ref()),
                None,
            )
            .collect::<Result<_, _>>()?;
        for quad in &quads {
            transaction.remove(quad);
        }
    }
    Ok(())
}
