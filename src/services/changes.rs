//! What a write changed: what it touched (for the catalog's refresh) and the changes live
//! subscribers hear of.

use crate::services::catalog::Catalog;

/// What a write touched, so that the catalog can be refreshed from those alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Touched {
    /// Anything may have changed (SPARQL Update, the Graph Store Protocol): reload it all.
    Everything,
    /// These entities and relations, by id, and nothing else.
    Only {
        entities: Vec<String>,
        relations: Vec<String>,
    },
}

impl From<crate::store::Changed> for Touched {
    fn from(changed: crate::store::Changed) -> Self {
        if changed.everything {
            return Touched::Everything;
        }
        Touched::Only {
            entities: changed.entities.into_iter().collect(),
            relations: changed.relations.into_iter().collect(),
        }
    }
}

impl Touched {
    pub fn entity(id: impl Into<String>) -> Self {
        Self::Only {
            entities: vec![id.into()],
            relations: Vec::new(),
        }
    }

    pub fn relation(id: impl Into<String>) -> Self {
        Self::Only {
            entities: Vec::new(),
            relations: vec![id.into()],
        }
    }
}

/// What a write changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeOp {
    Created,
    Updated,
    Deleted,
}

/// One change, as live subscribers see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphChange {
    pub op: ChangeOp,
    pub entity_id: Option<String>,
    pub relation_id: Option<String>,
}

impl GraphChange {
    pub fn entity(op: ChangeOp, id: impl Into<String>) -> Self {
        Self {
            op,
            entity_id: Some(id.into()),
            relation_id: None,
        }
    }

    pub fn relation(op: ChangeOp, id: impl Into<String>) -> Self {
        Self {
            op,
            entity_id: None,
            relation_id: Some(id.into()),
        }
    }
}

/// The changes between two catalogs, for writes that do not say what they touched (SPARQL
/// Update, the Graph Store Protocol). Never empty: a write that changed nothing the catalog
/// shows is still reported, as an update of nothing in particular.
pub fn changes(old: &Catalog, new: &Catalog) -> Vec<GraphChange> {
    let mut changes = Vec::new();
    for entity in new.entities() {
        match old.summary(entity.id()) {
            None => changes.push(GraphChange::entity(ChangeOp::Created, entity.id())),
            Some(before) if before != entity => changes.push(GraphChange::entity(ChangeOp::Updated, entity.id())),
            Some(_) => {}
        }
    }
    for entity in old.entities() {
        if new.summary(entity.id()).is_none() {
            changes.push(GraphChange::entity(ChangeOp::Deleted, entity.id()));
        }
    }
    let relation = |catalog: &Catalog, edge| {
        let projection = &catalog.projection;
        let (source, target) = projection.endpoints(edge);
        (
            projection.relation_id(edge).to_owned(),
            (
                projection.node_id(source).to_owned(),
                projection.node_id(target).to_owned(),
                projection.predicate_iri(edge).to_owned(),
                projection.edge_data(edge).kind,
            ),
        )
    };
    let before: std::collections::HashMap<String, _> = old.projection.edges().map(|edge| relation(old, edge)).collect();
    let after: std::collections::HashMap<String, _> = new.projection.edges().map(|edge| relation(new, edge)).collect();
    for (id, shape) in &after {
        match before.get(id) {
            None => changes.push(GraphChange::relation(ChangeOp::Created, id)),
            Some(previous) if previous != shape => changes.push(GraphChange::relation(ChangeOp::Updated, id)),
            Some(_) => {}
        }
    }
    for id in before.keys() {
        if !after.contains_key(id) {
            changes.push(GraphChange::relation(ChangeOp::Deleted, id));
        }
    }
    if changes.is_empty() {
        changes.push(GraphChange {
            op: ChangeOp::Updated,
            entity_id: None,
            relation_id: None,
        });
    }
    changes
}
