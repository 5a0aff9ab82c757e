//! What Oxigraph cannot infer, written down at load time: the `rdf:type` closure over the
//! ontology's `rdfs:subClassOf`; `gg:Evidence` on every evidence node; for every qualified
//! relation node its plain triple, its direct/indirect shortcut, `gg:relatedTo` and the
//! super-properties its property is aligned to (ORG, Dublin Core, schema.org, PROV); `gg:Claim`
//! on every claim node; and the documents cited as evidence, as `dcterms:isReferencedBy` on
//! every holder and, on relation and claim nodes (statements), `prov:wasDerivedFrom`. Derived
//! quads go into the graph of the statement they derive from, so withdrawing a graph withdraws
//! them too.

use super::StoreError;
use super::vocab::*;
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::store::{StorageError, Store};
use std::collections::{HashMap, HashSet};

/// What the ontology says that materialisation follows: `rdfs:subClassOf`, `rdfs:subPropertyOf`,
/// and `owl:inverseOf` on the (usually anonymous) super-properties that align a relation
/// property read from its target (`gg:organizes rdfs:subPropertyOf [ owl:inverseOf
/// schema:organizer ]`).
pub struct Schema {
    parents: HashMap<NamedNode, HashSet<NamedNode>>,
    /// Keys and values are IRIs or blank nodes (a document's own, before skolemisation).
    super_properties: HashMap<Term, HashSet<Term>>,
    inverses: HashMap<Term, NamedNode>,
}

/// What a relation property implies besides its plain triple.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Implied {
    /// `source P target` for a super-property `P`.
    Forward(NamedNode),
    /// `target P source` for a super-property that is `[ owl:inverseOf P ]`.
    Inverse(NamedNode),
}

/// An IRI govgraph minted for a blank node: an anonymous property expression is no property
/// to state triples with.
fn anonymous(term: &Term) -> bool {
    match term {
        Term::NamedNode(node) => node.as_str().starts_with(GENID),
        _ => true,
    }
}

impl Schema {
    pub fn from_store(store: &Store) -> Result<Self, StoreError> {
        Self::read(|predicate| store.quads_for_pattern(None, Some(predicate), None, None))
    }

    /// Reads the schema through `quads_with(predicate)`: a store's or a transaction's quads.
    pub fn read<I: Iterator<Item = Result<Quad, StorageError>>>(
        mut quads_with: impl FnMut(NamedNodeRef<'static>) -> I,
    ) -> Result<Self, StoreError> {
        let mut schema = Self {
            parents: HashMap::new(),
            super_properties: HashMap::new(),
            inverses: HashMap::new(),
        };
        for predicate in [RDFS_SUBCLASS_OF, RDFS_SUBPROPERTY_OF, OWL_INVERSE_OF] {
            for quad in quads_with(predicate) {
                schema.observe(&quad?);
            }
        }
        Ok(schema)
    }

    pub fn observe(&mut self, quad: &Quad) {
        let predicate = quad.predicate.as_ref();
        if predicate == RDFS_SUBCLASS_OF {
            if let (NamedOrBlankNode::NamedNode(class), Term::NamedNode(parent)) = (&quad.subject, &quad.object)
                && class != parent
            {
                self.parents.entry(class.clone()).or_default().insert(parent.clone());
            }
        } else if predicate == RDFS_SUBPROPERTY_OF {
            let property: Term = quad.subject.clone().into();
            if !quad.object.is_literal() && property != quad.object {
                self.super_properties
                    .entry(property)
                    .or_default()
                    .insert(quad.object.clone());
            }
        } else if predicate == OWL_INVERSE_OF
            && let Term::NamedNode(inverse) = &quad.object
        {
            self.inverses.insert(quad.subject.clone().into(), inverse.clone());
        }
    }

    /// Every class with all its (strict) superclasses, and every property with what a relation
    /// of it implies through its (strict) super-properties; cycles tolerated.
    pub fn closure(&self) -> Closure {
        let superclasses = self
            .parents
            .keys()
            .map(|class| {
                let mut supers: Vec<NamedNode> = ancestors(class, |c| self.parents.get(c)).into_iter().collect();
                supers.sort();
                (class.clone(), supers)
            })
            .collect();
        let implied = self
            .super_properties
            .keys()
            .filter_map(|property| match property {
                Term::NamedNode(node) => Some(node),
                _ => None,
            })
            .map(|property| {
                let start = Term::from(property.clone());
                let mut implied: Vec<Implied> = ancestors(&start, |p| self.super_properties.get(p))
                    .into_iter()
                    .flat_map(|ancestor| {
                        let forward = match &ancestor {
                            Term::NamedNode(node) if !anonymous(&ancestor) => Some(Implied::Forward(node.clone())),
                            _ => None,
                        };
                        let inverse = self.inverses.get(&ancestor).cloned().map(Implied::Inverse);
                        forward.into_iter().chain(inverse)
                    })
                    .collect();
                implied.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
                (property.clone(), implied)
            })
            .collect();
        Closure { superclasses, implied }
    }
}

/// Every node reachable from `start` by `next`, `start` itself left out.
fn ancestors<'a, T: Clone + Eq + std::hash::Hash + 'a>(
    start: &'a T,
    next: impl Fn(&T) -> Option<&'a HashSet<T>>,
) -> HashSet<T> {
    let mut seen = HashSet::new();
    let mut todo = vec![start.clone()];
    while let Some(current) = todo.pop() {
        for parent in next(&current).into_iter().flatten() {
            if parent != start && seen.insert(parent.clone()) {
                todo.push(parent.clone());
            }
        }
    }
    seen
}

/// The schema, closed: what materialisation looks up.
pub struct Closure {
    superclasses: HashMap<NamedNode, Vec<NamedNode>>,
    implied: HashMap<NamedNode, Vec<Implied>>,
}

impl Closure {
    /// Every triple a relation node implies: `source property target`, the shortcut of its kind
    /// (`gg:Direct`, `gg:Indirect`), `gg:relatedTo`, and its property's super-properties (an
    /// inverse one stated from the target). Deleting a relation removes these, unless another
    /// relation node implies them too; both sides call this, so they agree.
    pub fn relation_triples(
        &self,
        source: &NamedOrBlankNode,
        property: &NamedNode,
        kind: Option<&NamedNode>,
        target: &Term,
    ) -> Vec<Triple> {
        let mut triples = vec![Triple::new(source.clone(), property.clone(), target.clone())];
        let shortcut = kind.and_then(|kind| {
            if kind.as_ref() == GG_DIRECT {
                Some(GG_DIRECTLY_RELATED_TO)
            } else if kind.as_ref() == GG_INDIRECT {
                Some(GG_INDIRECTLY_RELATED_TO)
            } else {
                None
            }
        });
        if let Some(shortcut) = shortcut {
            triples.push(Triple::new(source.clone(), shortcut, target.clone()));
        }
        triples.push(Triple::new(source.clone(), GG_RELATED_TO, target.clone()));
        for implied in self.implied.get(property).into_iter().flatten() {
            match implied {
                Implied::Forward(super_property) => {
                    triples.push(Triple::new(source.clone(), super_property.clone(), target.clone()));
                }
                Implied::Inverse(inverse) => {
                    let subject = match target {
                        Term::NamedNode(node) => NamedOrBlankNode::from(node.clone()),
                        Term::BlankNode(node) => NamedOrBlankNode::from(node.clone()),
                        Term::Literal(_) => continue,
                    };
                    triples.push(Triple::new(subject, inverse.clone(), source.clone()));
                }
            }
        }
        let mut seen = HashSet::new();
        triples.retain(|triple| seen.insert(triple.clone()));
        triples
    }
}

#[derive(Default)]
struct RelationParts {
    source: Option<NamedOrBlankNode>,
    target: Option<Term>,
    predicate: Option<NamedNode>,
    kind: Option<NamedNode>,
}

/// Watches the quads of a load and computes what they imply. A derived quad is ready as soon as
/// what it derives from has been seen (a relation node's parts usually come together), so a
/// large load can write derived quads as it goes instead of holding them all until the end.
pub struct Materializer {
    closure: Closure,
    /// Derived quads not yet taken.
    derived: Vec<Quad>,
    /// Relation nodes whose parts are not all known yet.
    relations: HashMap<(NamedOrBlankNode, GraphName), RelationParts>,
    /// Evidence node -> (holder, graph) of every `holder gg:evidence node`.
    evidence_links: HashMap<Term, Vec<(NamedOrBlankNode, GraphName)>>,
    /// Holder -> (evidence node, graph) of the same links, for holders found to be relation
    /// nodes after their evidence.
    evidence_held: HashMap<NamedOrBlankNode, Vec<(Term, GraphName)>>,
    documents: HashMap<Term, Vec<Term>>,
    /// Relation nodes (whatever has a `gg:source`, whose domain is `gg:Relation`) and claim
    /// nodes (whatever is the object of a `gg:claim`).
    statements: HashSet<NamedOrBlankNode>,
}

impl Materializer {
    pub fn new(closure: Closure) -> Self {
        Self {
            closure,
            derived: Vec::new(),
            relations: HashMap::new(),
            evidence_links: HashMap::new(),
            evidence_held: HashMap::new(),
            documents: HashMap::new(),
            statements: HashSet::new(),
        }
    }

    fn typed(&mut self, subject: NamedOrBlankNode, class: &NamedNode, graph: &GraphName) {
        for parent in self.closure.superclasses.get(class).into_iter().flatten() {
            self.derived
                .push(Quad::new(subject.clone(), RDF_TYPE, parent.clone(), graph.clone()));
        }
    }

    /// `holder` cites `document` as evidence. The document references the holder (whatever the
    /// holder is: Dublin Core gives `dcterms:isReferencedBy` no domain); only a relation node, a
    /// statement, is derived from it: `prov:wasDerivedFrom` wants a `prov:Entity`, and PROV-O
    /// makes meetings (`prov:Activity`) disjoint from those, while an organization or a person
    /// is not made out of the documents that mention it. Nothing is referenced by or derived
    /// from itself.
    fn cite(&mut self, holder: &NamedOrBlankNode, document: &Term, graph: &GraphName) {
        if Term::from(holder.clone()) == *document {
            return;
        }
        self.derived.push(Quad::new(
            holder.clone(),
            DCTERMS_IS_REFERENCED_BY,
            document.clone(),
            graph.clone(),
        ));
        if self.statements.contains(holder) {
            self.derived.push(Quad::new(
                holder.clone(),
                PROV_WAS_DERIVED_FROM,
                document.clone(),
                graph.clone(),
            ));
        }
    }

    pub fn observe(&mut self, quad: &Quad) {
        let predicate = quad.predicate.as_ref();
        if predicate == RDF_TYPE {
            if let Term::NamedNode(class) = &quad.object {
                self.typed(quad.subject.clone(), class, &quad.graph_name);
            }
        } else if predicate == GG_EVIDENCE_PROP {
            let evidence = match &quad.object {
                Term::NamedNode(node) => NamedOrBlankNode::from(node.clone()),
                Term::BlankNode(node) => NamedOrBlankNode::from(node.clone()),
                Term::Literal(_) => return,
            };
            // The README promises every evidence node is a gg:Evidence; no writer has to say so.
            self.derived.push(Quad::new(
                evidence.clone(),
                RDF_TYPE,
                GG_EVIDENCE,
                quad.graph_name.clone(),
            ));
            self.typed(evidence, &GG_EVIDENCE.into_owned(), &quad.graph_name);
            for document in self.documents.get(&quad.object).cloned().into_iter().flatten() {
                self.cite(&quad.subject, &document, &quad.graph_name);
            }
            self.evidence_links
                .entry(quad.object.clone())
                .or_default()
                .push((quad.subject.clone(), quad.graph_name.clone()));
            self.evidence_held
                .entry(quad.subject.clone())
                .or_default()
                .push((quad.object.clone(), quad.graph_name.clone()));
        } else if predicate == GG_CLAIM_PROP {
            let claim = match &quad.object {
                Term::NamedNode(node) => NamedOrBlankNode::from(node.clone()),
                Term::BlankNode(node) => NamedOrBlankNode::from(node.clone()),
                Term::Literal(_) => return,
            };
            // A claim, like a relation node, is a statement: typed without the writer saying so,
            // and derived from the documents its evidence cites.
            self.derived
                .push(Quad::new(claim.clone(), RDF_TYPE, GG_CLAIM, quad.graph_name.clone()));
            self.typed(claim.clone(), &GG_CLAIM.into_owned(), &quad.graph_name);
            if self.statements.insert(claim.clone()) {
                self.derive_provenance(&claim);
            }
        } else if predicate == GG_DOCUMENT_PROP {
            let evidence: Term = quad.subject.clone().into();
            for (holder, graph) in self.evidence_links.get(&evidence).cloned().into_iter().flatten() {
                self.cite(&holder, &quad.object, &graph);
            }
            self.documents.entry(evidence).or_default().push(quad.object.clone());
        } else if [GG_SOURCE, GG_TARGET, GG_PREDICATE, GG_RELATION_KIND].contains(&predicate) {
            if predicate == GG_SOURCE && self.statements.insert(quad.subject.clone()) {
                self.derive_provenance(&quad.subject);
            }
            let key = (quad.subject.clone(), quad.graph_name.clone());
            let parts = self.relations.entry(key.clone()).or_default();
            match (predicate, &quad.object) {
                (p, Term::NamedNode(n)) if p == GG_SOURCE => parts.source = Some(n.clone().into()),
                (p, Term::BlankNode(b)) if p == GG_SOURCE => parts.source = Some(b.clone().into()),
                (p, object) if p == GG_TARGET => parts.target = Some(object.clone()),
                (p, Term::NamedNode(n)) if p == GG_PREDICATE => parts.predicate = Some(n.clone()),
                (p, Term::NamedNode(n)) if p == GG_RELATION_KIND => parts.kind = Some(n.clone()),
                _ => {}
            }
            let complete =
                parts.source.is_some() && parts.target.is_some() && parts.predicate.is_some() && parts.kind.is_some();
            if complete && let Some(parts) = self.relations.remove(&key) {
                self.derive_relation(parts, key.1);
            }
        }
    }

    /// A holder found to be a relation node after its evidence: its derivations.
    fn derive_provenance(&mut self, relation: &NamedOrBlankNode) {
        for (evidence, graph) in self.evidence_held.get(relation).cloned().into_iter().flatten() {
            for document in self.documents.get(&evidence).cloned().into_iter().flatten() {
                if Term::from(relation.clone()) != document {
                    self.derived.push(Quad::new(
                        relation.clone(),
                        PROV_WAS_DERIVED_FROM,
                        document,
                        graph.clone(),
                    ));
                }
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
        for triple in self
            .closure
            .relation_triples(&source, &predicate, parts.kind.as_ref(), &target)
        {
            self.derived.push(triple.in_graph(graph.clone()));
        }
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

    fn schema(quads: &[(NamedNode, NamedNodeRef<'_>, Term)]) -> Schema {
        let mut schema = Schema {
            parents: HashMap::new(),
            super_properties: HashMap::new(),
            inverses: HashMap::new(),
        };
        for (s, p, o) in quads {
            schema.observe(&Quad::new(s.clone(), *p, o.clone(), GraphName::DefaultGraph));
        }
        schema
    }

    fn derived(materializer: Materializer) -> HashSet<String> {
        materializer.finish().into_iter().map(|q| q.to_string()).collect()
    }

    #[test]
    fn types_are_closed_over_superclasses() {
        let graph = GraphName::DefaultGraph;
        let schema = schema(&[
            (iri("A"), RDFS_SUBCLASS_OF, iri("B").into()),
            (iri("B"), RDFS_SUBCLASS_OF, iri("C").into()),
            (iri("C"), RDFS_SUBCLASS_OF, iri("A").into()),
        ]);
        let mut materializer = Materializer::new(schema.closure());
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
        // `[ owl:inverseOf ... ]` as the loader stores it: a skolemised blank node.
        let inverse = NamedNode::new_unchecked(format!("{GENID}doc-0"));
        let schema = schema(&[
            (iri("inspired"), RDFS_SUBPROPERTY_OF, GG_RELATED_TO.into_owned().into()),
            (iri("inspired"), RDFS_SUBPROPERTY_OF, iri("influence").into()),
            (iri("influence"), RDFS_SUBPROPERTY_OF, inverse.clone().into()),
            (inverse, OWL_INVERSE_OF, iri("wasInfluencedBy").into()),
        ]);
        let mut materializer = Materializer::new(schema.closure());
        // The evidence and its document come before the node is known to be a relation.
        materializer.observe(&Quad::new(
            relation.clone(),
            GG_EVIDENCE_PROP,
            evidence.clone(),
            graph.clone(),
        ));
        materializer.observe(&Quad::new(evidence, GG_DOCUMENT_PROP, iri("doc"), graph.clone()));
        for (p, o) in [
            (GG_SOURCE, Term::from(iri("a"))),
            (GG_TARGET, iri("b").into()),
            (GG_PREDICATE, iri("inspired").into()),
            (GG_RELATION_KIND, GG_INDIRECT.into_owned().into()),
        ] {
            materializer.observe(&Quad::new(relation.clone(), p, o, graph.clone()));
        }
        let expected: HashSet<String> = [
            "<http://example.com/a> <http://example.com/inspired> <http://example.com/b> <http://example.com/g>",
            "<http://example.com/a> <https://w3id.org/govgraph/ns#indirectlyRelatedTo> <http://example.com/b> <http://example.com/g>",
            "<http://example.com/a> <https://w3id.org/govgraph/ns#relatedTo> <http://example.com/b> <http://example.com/g>",
            // A named super-property is stated forward, the inverse one from the target.
            "<http://example.com/a> <http://example.com/influence> <http://example.com/b> <http://example.com/g>",
            "<http://example.com/b> <http://example.com/wasInfluencedBy> <http://example.com/a> <http://example.com/g>",
            "<http://example.com/e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/govgraph/ns#Evidence> <http://example.com/g>",
            "<http://example.com/r> <http://purl.org/dc/terms/isReferencedBy> <http://example.com/doc> <http://example.com/g>",
            "<http://example.com/r> <http://www.w3.org/ns/prov#wasDerivedFrom> <http://example.com/doc> <http://example.com/g>",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        assert_eq!(derived(materializer), expected);
    }

    #[test]
    fn entities_are_referenced_by_their_documents_never_derived_nor_self_cited() {
        let graph = GraphName::DefaultGraph;
        let mut materializer = Materializer::new(schema(&[]).closure());
        for (holder, evidence, document) in [("meeting", "e1", "doc"), ("doc", "e2", "doc")] {
            materializer.observe(&Quad::new(iri(holder), GG_EVIDENCE_PROP, iri(evidence), graph.clone()));
            materializer.observe(&Quad::new(
                iri(evidence),
                GG_DOCUMENT_PROP,
                iri(document),
                graph.clone(),
            ));
        }
        let expected: HashSet<String> = [
            "<http://example.com/e1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/govgraph/ns#Evidence>",
            "<http://example.com/e2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/govgraph/ns#Evidence>",
            "<http://example.com/meeting> <http://purl.org/dc/terms/isReferencedBy> <http://example.com/doc>",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        assert_eq!(derived(materializer), expected);
    }
}
