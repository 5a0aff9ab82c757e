//! Online edits of entities and relations (GraphQL mutations): each one transaction that keeps
//! the derived triples right and adds a change-log entry. Updated values stay in the graph the
//! entity was first described in, so withdrawing a source still withdraws what it said.

use super::description::Typed;
use super::vocab::*;
use super::writer::Writer;
use super::{Store, StoreError};
use crate::model::{Change, DateStatus, EntityKind, EntityPatch};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

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
        // A date given makes "TBD" wrong; a meeting losing its date says so.
        let dated = !statements(&transaction, &entity, SCHEMA_START_DATE)?.is_empty();
        if dated && matches!(patch.start_date, Change::Set(_)) {
            replace(&mut transaction, &entity, GG_DATE_STATUS, &[], &home)?;
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
        for relation in &relations {
            remove_relation(&mut transaction, relation)?;
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
        remove_relation(&mut transaction, &relation)?;
        transaction.record_change(&format!("delete relation {id}"))?;
        transaction.commit()?;
        Ok(true)
    }
}

/// Removes every statement of a subject and of its evidence nodes.
fn remove_with_evidence(transaction: &mut Writer<'_>, subject: &NamedNode) -> Result<(), StoreError> {
    let quads: Vec<Quad> = transaction
        .quads_for_pattern(Some(subject.as_ref().into()), None, None, None)
        .collect::<Result<_, _>>()?;
    for quad in &quads {
        if quad.predicate.as_ref() == GG_EVIDENCE_PROP {
            let evidence = match &quad.object {
                Term::NamedNode(node) => NamedOrBlankNode::from(node.clone()),
                Term::BlankNode(node) => NamedOrBlankNode::from(node.clone()),
                Term::Literal(_) => continue,
            };
            let evidence_quads: Vec<Quad> = transaction
                .quads_for_pattern(Some(evidence.as_ref()), None, None, None)
                .collect::<Result<_, _>>()?;
            for evidence_quad in &evidence_quads {
                transaction.remove(evidence_quad);
            }
        }
        transaction.remove(quad);
    }
    Ok(())
}

/// Whether a relation node other than `except` links `source` to `target` with `predicate`
/// (any predicate when `None`) and, if given, of `kind`.
fn backed(
    transaction: &Writer<'_>,
    source: &Term,
    target: &Term,
    predicate: Option<&Term>,
    kind: Option<&Term>,
    except: &NamedNode,
) -> Result<bool, StoreError> {
    let Term::NamedNode(source) = source else {
        return Ok(false);
    };
    for quad in transaction.quads_for_pattern(None, Some(GG_SOURCE), Some(source.as_ref().into()), None) {
        let NamedOrBlankNode::NamedNode(other) = quad?.subject else {
            continue;
        };
        if other == *except {
            continue;
        }
        let has = |property: NamedNodeRef<'_>, value: &Term| -> Result<bool, StoreError> {
            Ok(transaction
                .quads_for_pattern(Some(other.as_ref().into()), Some(property), Some(value.as_ref()), None)
                .next()
                .transpose()?
                .is_some())
        };
        if has(GG_TARGET, target)?
            && predicate.map_or(Ok(true), |p| has(GG_PREDICATE, p))?
            && kind.map_or(Ok(true), |k| has(GG_RELATION_KIND, k))?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Removes a relation node and what only it implied.
fn remove_relation(transaction: &mut Writer<'_>, relation: &NamedNode) -> Result<(), StoreError> {
    let one = |transaction: &Writer<'_>, property: NamedNodeRef<'_>| -> Result<Option<Term>, StoreError> {
        Ok(transaction
            .quads_for_pattern(Some(relation.as_ref().into()), Some(property), None, None)
            .next()
            .transpose()?
            .map(|quad| quad.object))
    };
    let (source, target, predicate, kind) = (
        one(transaction, GG_SOURCE)?,
        one(transaction, GG_TARGET)?,
        one(transaction, GG_PREDICATE)?,
        one(transaction, GG_RELATION_KIND)?,
    );
    remove_with_evidence(transaction, relation)?;
    let (Some(source), Some(target)) = (source, target) else {
        return Ok(());
    };
    let Term::NamedNode(subject) = &source else {
        return Ok(());
    };
    let shortcut = kind.as_ref().and_then(|kind| match kind {
        Term::NamedNode(node) if node.as_ref() == GG_DIRECT => Some(GG_DIRECTLY_RELATED_TO),
        Term::NamedNode(node) if node.as_ref() == GG_INDIRECT => Some(GG_INDIRECTLY_RELATED_TO),
        _ => None,
    });
    let mut derived: Vec<(NamedNode, bool)> = Vec::new();
    if let Some(Term::NamedNode(property)) = &predicate {
        derived.push((
            property.clone(),
            backed(transaction, &source, &target, predicate.as_ref(), None, relation)?,
        ));
    }
    if let Some(shortcut) = shortcut {
        derived.push((
            shortcut.into_owned(),
            backed(transaction, &source, &target, None, kind.as_ref(), relation)?,
        ));
    }
    derived.push((
        GG_RELATED_TO.into_owned(),
        backed(transaction, &source, &target, None, None, relation)?,
    ));
    for (property, still_backed) in derived {
        if still_backed {
            continue;
        }
        let quads: Vec<Quad> = transaction
            .quads_for_pattern(
                Some(subject.as_ref().into()),
                Some(property.as_ref()),
                Some(target.as_ref()),
                None,
            )
            .collect::<Result<_, _>>()?;
        for quad in &quads {
            transaction.remove(quad);
        }
    }
    Ok(())
}
