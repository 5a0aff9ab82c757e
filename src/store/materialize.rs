//! What Oxigraph cannot infer, written down at load time: the `rdf:type` closure over the
//! ontology's `rdfs:subClassOf`, and for every qualified relation node its plain triple, its
//! direct/indirect shortcut, `gg:relatedTo`, and `prov:wasDerivedFrom` for every cited document.
//! Derived quads go into the graph of the statement they derive from, so withdrawing a graph
//! withdraws them too.

use super::StoreError;
use super::vocab::*;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use std::collections::{HashMap, HashSet};

/// The `rdfs:subClassOf` pairs known to the store and to the documents being loaded.
pub struct ClassHierarchy {
    parents: HashMap<NamedNode, HashSet<NamedNode>>,
}

impl ClassHierarchy {
    pub fn from_store(store: &Store) -> Result<Self, StoreError> {
        let mut hierarchy = Self {
            parents: HashMap::new(),
        };
        for quad in store.quads_for_pattern(None, Some(RDFS_SUBCLASS_OF), None, None) {
            hierarchy.observe(&quad?);
        }
        Ok(hierarchy)
    }

    pub fn observe(&mut self, quad: &Quad) {
        if quad.predicate.as_ref() == RDFS_SUBCLASS_OF
            && let (NamedOrBlankNode::NamedNode(class), Term::NamedNode(parent)) = (&quad.subject, &quad.object)
            && class != parent
        {
            self.parents.entry(class.clone()).or_default().insert(parent.clone());
        }
    }

    /// Every class with all its (strict) superclasses, cycles tolerated.
    pub fn closure(&self) -> HashMap<NamedNode, Vec<NamedNode>> {
        self.parents
            .keys()
            .map(|class| {
                let mut seen = HashSet::new();
                let mut todo = vec![class];
                while let Some(current) = todo.pop() {
                    for parent in self.parents.get(current).into_iter().flatten() {
                        if parent != class && seen.insert(parent.clone()) {
                            todo.push(parent);
                        }
                    }
                }
                let mut supers: Vec<NamedNode> = seen.into_iter().collect();
                supers.sort();
                (class.clone(), supers)
            })
            .collect()
    }
}

#[derive(Default)]
struct RelationParts {
    source: Option<NamedOrBlankNode>,
    target: Option<Term>,
    predicate: Option<NamedNode>,
    shortcut: Option<NamedNode>,
}

/// Watches the quads of a load and computes what they imply. A derived quad is ready as soon as
/// what it derives from has been seen (a relation node's parts usually come together), so a
/// large load can write derived quads as it goes instead of holding them all until the end.
pub struct Materializer {
    superclasses: HashMap<NamedNode, Vec<NamedNode>>,
    /// Derived quads not yet taken.
    derived: Vec<Quad>,
    /// Relation nodes whose parts are not all known yet.
    relations: HashMap<(NamedOrBlankNode, GraphName), RelationParts>,
    /// Evidence node -> (holder, graph) of every `holder gg:evidence node`.
    evidence_links: HashMap<Term, Vec<(NamedOrBlankNode, GraphName)>>,
    documents: HashMap<Term, Vec<Term>>,
}

impl Materializer {
    pub fn new(superclasses: HashMap<NamedNode, Vec<NamedNode>>) -> Self {
        Self {
            superclasses,
            derived: Vec::new(),
            relations: HashMap::new(),
            evidence_links: HashMap::new(),
            documents: HashMap::new(),
        }
    }

    pub fn observe(&mut self, quad: &Quad) {
        let predicate = quad.predicate.as_ref();
        if predicate == RDF_TYPE {
            if let Term::NamedNode(class) = &quad.object {
                for parent in self.superclasses.get(class).into_iter().flatten() {
                    self.derived.push(Quad::new(
                        quad.subject.clone(),
                        RDF_TYPE,
                        parent.clone(),
                        quad.graph_name.clone(),
                    ));
                }
            }
        } else if predicate == GG_EVIDENCE_PROP {
            for document in self.documents.get(&quad.object).into_iter().flatten() {
                self.derived.push(Quad::new(
                    quad.subject.clone(),
                    PROV_WAS_DERIVED_FROM,
                    document.clone(),
                    quad.graph_name.clone(),
                ));
            }
            self.evidence_links
                .entry(quad.object.clone())
                .or_default()
                .push((quad.subject.clone(), quad.graph_name.clone()));
        } else if predicate == GG_DOCUMENT_PROP {
            let evidence: Term = quad.subject.clone().into();
            for (holder, graph) in self.evidence_links.get(&evidence).into_iter().flatten() {
                self.derived.push(Quad::new(
                    holder.clone(),
                    PROV_WAS_DERIVED_FROM,
                    quad.object.clone(),
                    graph.clone(),
                ));
            }
            self.documents.entry(evidence).or_default().push(quad.object.clone());
        } else if [GG_SOURCE, GG_TARGET, GG_PREDICATE, GG_RELATION_KIND].contains(&predicate) {
            let key = (quad.subject.clone(), quad.graph_name.clone());
            let parts = self.relations.entry(key.clone()).or_default();
            match (predicate, &quad.object) {
                (p, Term::NamedNode(n)) if p == GG_SOURCE => parts.source = Some(n.clone().into()),
                (p, Term::BlankNode(b)) if p == GG_SOURCE => parts.source = Some(b.clone().into()),
                (p, object) if p == GG_TARGET => parts.target = Some(object.clone()),
                (p, Term::NamedNode(n)) if p == GG_PREDICATE => parts.predicate = Some(n.clone()),
                (p, Term::NamedNode(n)) if p == GG_RELATION_KIND => {
                    parts.shortcut = if n.as_ref() == GG_DIRECT {
                        Some(GG_DIRECTLY_RELATED_TO.into_owned())
                    } else if n.as_ref() == GG_INDIRECT {
                        Some(GG_INDIRECTLY_RELATED_TO.into_owned())
                    } else {
                        None
                    };
                }
                _ => {}
            }
            let complete = parts.source.is_some()
                && parts.target.is_some()
                && parts.predicate.is_some()
                && parts.shortcut.is_some();
            if complete && let Some(parts) = self.relations.remove(&key) {
                self.derive_relation(parts, key.1);
            }
        }
    }

    /// The derived quads ready so far; a load writes them as it goes.
    pub fn take_ready(&mut self) -> std::vec::Drain<'_, Quad> {
        self.derived.drain(..)
    }

    fn derive_relation(&mut self, parts: RelationParts, graph: GraphName) {
        let (Some(source), Some(target), Some(predicate)) = (parts.source, parts.target, parts.predicate) else {
            return;
        };
        self.derived
            .push(Quad::new(source.clone(), predicate, target.clone(), graph.clone()));
        if let Some(shortcut) = parts.shortcut {
            self.derived
                .push(Quad::new(source.clone(), shortcut, target.clone(), graph.clone()));
        }
        self.derived.push(Quad::new(source, GG_RELATED_TO, target, graph));
    }

    /// The derived quads not yet taken, with those of relation nodes whose kind never came.
    /// Relation nodes without a source, target or property derive nothing; `govgraph validate`
    /// reports them.
    pub fn finish(mut self) -> Vec<Quad> {
        for ((_, graph), parts) in std::mem::take(&mut self.relations) {
            self.derive_relation(parts, graph);
        }
        self.derived
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(name: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://example.com/{name}"))
    }

    #[test]
    fn types_are_closed_over_superclasses() {
        let mut hierarchy = ClassHierarchy {
            parents: HashMap::new(),
        };
        let graph = GraphName::DefaultGraph;
        hierarchy.observe(&Quad::new(iri("A"), RDFS_SUBCLASS_OF, iri("B"), graph.clone()));
        hierarchy.observe(&Quad::new(iri("B"), RDFS_SUBCLASS_OF, iri("C"), graph.clone()));
        hierarchy.observe(&Quad::new(iri("C"), RDFS_SUBCLASS_OF, iri("A"), graph.clone()));
        let mut materializer = Materializer::new(hierarchy.closure());
        materializer.observe(&Quad::new(iri("x"), RDF_TYPE, iri("A"), graph.clone()));
        let mut types: Vec<String> = materializer
            .finish()
            .into_iter()
            .map(|q| q.object.to_string())
            .collect();
        types.sort();
        assert_eq!(types, ["<http://example.com/B>", "<http://example.com/C>"]);
    }

    #[test]
    fn relation_nodes_derive_their_triples_and_provenance() {
        let graph = GraphName::NamedNode(iri("g"));
        let relation = iri("r");
        let evidence = iri("e");
        let mut materializer = Materializer::new(HashMap::new());
        for (p, o) in [
            (GG_SOURCE, Term::from(iri("a"))),
            (GG_TARGET, iri("b").into()),
            (GG_PREDICATE, iri("inspired").into()),
            (GG_RELATION_KIND, GG_INDIRECT.into_owned().into()),
            (GG_EVIDENCE_PROP, evidence.clone().into()),
        ] {
            materializer.observe(&Quad::new(relation.clone(), p, o, graph.clone()));
        }
        materializer.observe(&Quad::new(evidence, GG_DOCUMENT_PROP, iri("doc"), graph.clone()));
        let derived: HashSet<String> = materializer.finish().into_iter().map(|q| q.to_string()).collect();
        let expected: HashSet<String> = [
            "<http://example.com/a> <http://example.com/inspired> <http://example.com/b> <http://example.com/g>",
            "<http://example.com/a> <https://w3id.org/govgraph/ns#indirectlyRelatedTo> <http://example.com/b> <http://example.com/g>",
            "<http://example.com/a> <https://w3id.org/govgraph/ns#relatedTo> <http://example.com/b> <http://example.com/g>",
            "<http://example.com/r> <http://www.w3.org/ns/prov#wasDerivedFrom> <http://example.com/doc> <http://example.com/g>",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        assert_eq!(derived, expected);
    }
}
