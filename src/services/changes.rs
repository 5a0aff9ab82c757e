//! What a write changed: what it touched (for the catalog's refresh) and the changes live
//! subscribers hear of.

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
