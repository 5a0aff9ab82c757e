//! Curated writes: entities and relations given as `crate::model` values become RDF in the
//! project's vocabulary, the same shape as the hand-written seed, with the same materialised
//! triples. Also writes such data to a file (`govgraph generate`).

use super::description::Typed;
use super::materialize::{Materializer, Schema};
use super::version::bulk_change_quads;
use super::vocab::*;
use super::{Progress, Store, StoreError};
use crate::model::{ClaimValue, DocumentRef, NewClaim, NewEntity, NewRelation, Predicate, RelationKind, Slug};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::collections::HashSet;
use std::io::Write;

/// What an import wrote.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub entities: usize,
    pub relations: usize,
    pub quads: usize,
}

/// A relation property the ontology declares (a sub-property of `gg:relatedTo`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RelationProperty(NamedNode);

impl RelationProperty {
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The IRI a predicate names, without asking the ontology (for generated data, whose
    /// properties are the ontology's own).
    fn assume(predicate: &Predicate) -> Result<Self, StoreError> {
        let iri = match predicate {
            Predicate::RelatedTo => return Ok(Self(GG_RELATED_TO.into_owned())),
            Predicate::Name(name) => format!("{NS}{name}"),
            Predicate::Iri(iri) => iri.clone(),
        };
        NamedNode::new(&iri).map(Self).map_err(|e| StoreError::InvalidIri {
            iri,
            message: e.to_string(),
        })
    }
}

/// Turns curated values into quads in one graph.
struct QuadWriter {
    graph: GraphName,
    quads: Vec<Quad>,
    described_documents: HashSet<String>,
}

impl QuadWriter {
    fn new(graph: GraphName) -> Self {
        Self {
            graph,
            quads: Vec::new(),
            described_documents: HashSet::new(),
        }
    }

    fn add(&mut self, subject: &NamedNode, predicate: impl Into<NamedNode>, object: impl Into<Term>) {
        self.quads.push(Quad::new(
            subject.clone(),
            predicate.into(),
            object.into(),
            self.graph.clone(),
        ));
    }

    fn document(&mut self, document: &DocumentRef) -> Result<NamedNode, StoreError> {
        Ok(match document {
            DocumentRef::Entity(slug) => NamedNode::new_unchecked(entity_iri(slug.as_str())),
            DocumentRef::Url(url) => {
                let node = NamedNode::new(url).map_err(|e| StoreError::InvalidIri {
                    iri: url.clone(),
                    message: e.to_string(),
                })?;
                if self.described_documents.insert(url.clone()) {
                    self.add(&node, RDF_TYPE, GG_PUBLIC_SOURCE);
                }
                node
            }
            DocumentRef::ImportedFile(name) => {
                let node = NamedNode::new_unchecked(format!("{IMPORT}{}", percent_encode(name)));
                if self.described_documents.insert(name.clone()) {
                    self.add(&node, RDF_TYPE, GG_IMPORTED_FILE);
                    self.add(&node, RDFS_LABEL, Literal::new_simple_literal(name));
                }
                node
            }
        })
    }

    /// Writes `holder`'s evidence nodes, `{holder}#evidence-N` (`#` is kept once: a claim's
    /// evidence is `{entity}#claim-N-evidence-M`).
    fn evidence(&mut self, holder: &NamedNode, sources: &[crate::model::Source]) -> Result<(), StoreError> {
        let separator = if holder.as_str().contains('#') { "-" } else { "#" };
        for (index, source) in sources.iter().enumerate() {
            let node = NamedNode::new_unchecked(format!("{}{separator}evidence-{}", holder.as_str(), index + 1));
            let document = self.document(&source.document)?;
            self.add(holder, GG_EVIDENCE_PROP, node.clone());
            self.add(&node, GG_DOCUMENT_PROP, document);
            if let Some(quote) = &source.quote {
                self.add(&node, GG_QUOTE, Literal::new_simple_literal(quote));
            }
        }
        Ok(())
    }

    /// Writes `entity`'s claims as `{entity}#claim-N`. A claim citing exactly the entity's own
    /// sources points at the entity's evidence nodes instead of repeating them.
    fn claims(
        &mut self,
        entity: &NamedNode,
        claims: &[(usize, &NewClaim)],
        own: &[crate::model::Source],
    ) -> Result<(), StoreError> {
        for &(index, claim) in claims {
            let node = NamedNode::new_unchecked(format!("{}#claim-{index}", entity.as_str()));
            self.add(entity, GG_CLAIM_PROP, node.clone());
            self.add(&node, GG_PROPERTY, claim_property_iri(claim.property));
            self.add(&node, GG_VALUE, claim_value_term(&claim.value));
            self.add(&node, GG_EVIDENCE_TYPE, evidence_type_iri(claim.evidence_type));
            if let Some(confidence) = claim.confidence {
                self.add(&node, GG_CONFIDENCE, decimal(confidence));
            }
            if let Some(reason) = &claim.inference_reason {
                self.add(&node, GG_INFERENCE_REASON, Literal::new_simple_literal(reason));
            }
            if !own.is_empty() && claim.sources == own {
                for index in 1..=own.len() {
                    let evidence = NamedNode::new_unchecked(format!("{}#evidence-{index}", entity.as_str()));
                    self.add(&node, GG_EVIDENCE_PROP, evidence);
                }
            } else {
                self.evidence(&node, &claim.sources)?;
            }
        }
        Ok(())
    }

    fn entity(&mut self, entity: &NewEntity) -> Result<(), StoreError> {
        let iri = NamedNode::new_unchecked(entity_iri(entity.id.as_str()));
        self.add(&iri, RDF_TYPE, kind_class(entity.kind));
        self.add(&iri, RDFS_LABEL, Literal::new_simple_literal(&entity.label));
        for alias in &entity.aliases {
            self.add(&iri, SKOS_ALT_LABEL, Literal::new_simple_literal(alias));
        }
        if let Some(description) = &entity.description {
            self.add(&iri, DCTERMS_DESCRIPTION, Literal::new_simple_literal(description));
        }
        if let Some(openness) = entity.openness {
            self.add(&iri, GG_OPENNESS, openness_iri(openness));
        }
        if let Some(note) = &entity.openness_note {
            self.add(&iri, GG_OPENNESS_NOTE, Literal::new_simple_literal(note));
        }
        for (property, date) in [
            (SCHEMA_START_DATE, entity.start_date),
            (SCHEMA_END_DATE, entity.end_date),
        ] {
            if let Some(date) = date {
                let datatype = NamedNode::new_unchecked(format!("{XSD}{}", date.xsd_type()));
                self.add(&iri, property, Literal::new_typed_literal(date.to_string(), datatype));
            }
        }
        if let Some(status) = entity.date_status() {
            self.add(&iri, GG_DATE_STATUS, date_status_iri(status));
        }
        if let Some(location) = &entity.location {
            self.add(&iri, SCHEMA_LOCATION, Literal::new_simple_literal(location));
        }
        self.evidence(&iri, &entity.sources)?;
        let claims = entity.claims_to_write();
        let numbered: Vec<(usize, &NewClaim)> = claims.iter().enumerate().map(|(i, c)| (i + 1, c)).collect();
        self.claims(&iri, &numbered, &entity.sources)
    }

    fn relation(&mut self, relation: &NewRelation, property: &RelationProperty) -> Result<(), StoreError> {
        let predicate = &property.0;
        let id = relation_id(relation.source.as_str(), predicate.as_str(), relation.target.as_str());
        let iri = NamedNode::new_unchecked(relation_iri(&id));
        self.add(&iri, RDF_TYPE, GG_RELATION);
        self.add(
            &iri,
            GG_SOURCE,
            NamedNode::new_unchecked(entity_iri(relation.source.as_str())),
        );
        self.add(
            &iri,
            GG_TARGET,
            NamedNode::new_unchecked(entity_iri(relation.target.as_str())),
        );
        self.add(&iri, GG_PREDICATE, predicate.clone());
        self.add(&iri, GG_RELATION_KIND, relation_kind_iri(relation.kind));
        self.add(&iri, GG_EVIDENCE_TYPE, evidence_type_iri(relation.evidence_type));
        if let Some(confidence) = relation.confidence {
            self.add(&iri, GG_CONFIDENCE, decimal(confidence));
        }
        if let Some(reason) = &relation.inference_reason {
            self.add(&iri, GG_INFERENCE_REASON, Literal::new_simple_literal(reason));
        }
        self.evidence(&iri, &relation.sources)
    }
}

/// The quads that add `claims` to an existing entity, numbered from `first`, with what they
/// imply (types, the documents cited), in `graph`.
pub(super) fn claim_quads(
    entity: &NamedNode,
    first: usize,
    claims: &[NewClaim],
    graph: &GraphName,
    closure: super::materialize::Closure,
) -> Result<Vec<Quad>, StoreError> {
    let mut writer = QuadWriter::new(graph.clone());
    let mut numbered = Vec::with_capacity(claims.len());
    for (offset, claim) in claims.iter().enumerate() {
        numbered.push((first + offset, claim));
    }
    writer.claims(entity, &numbered, &[])?;
    let mut materializer = Materializer::new(closure);
    for quad in &writer.quads {
        materializer.observe(quad);
    }
    let mut quads = writer.quads;
    quads.extend(materializer.finish());
    Ok(quads)
}

/// A confidence as the `xsd:decimal` the shapes want (`1.0`, not `1`).
fn decimal(value: f64) -> Literal {
    let text = format!("{value}");
    let text = if text.contains('.') { text } else { format!("{text}.0") };
    Literal::new_typed_literal(text, NamedNode::new_unchecked(format!("{XSD}decimal")))
}

/// The term a claimed value is stored as: the term the entity would state.
pub(super) fn claim_value_term(value: &ClaimValue) -> Term {
    match value {
        ClaimValue::Openness(openness) => openness_iri(*openness).into_owned().into(),
        ClaimValue::DateStatus(status) => date_status_iri(*status).into_owned().into(),
        ClaimValue::Date(date) => {
            let datatype = NamedNode::new_unchecked(format!("{XSD}{}", date.xsd_type()));
            Literal::new_typed_literal(date.to_string(), datatype).into()
        }
        ClaimValue::Text(text) => Literal::new_simple_literal(text).into(),
    }
}

impl Store {
    /// Whether an entity with this id exists (in any graph).
    pub fn entity_exists(&self, id: &Slug) -> Result<bool, StoreError> {
        let iri = NamedNode::new_unchecked(entity_iri(id.as_str()));
        self.inner.has_type(iri.as_ref(), GG_ENTITY)
    }

    /// Whether a relation node with this IRI exists.
    pub fn relation_exists(&self, relation: &NewRelation, property: &RelationProperty) -> Result<bool, StoreError> {
        let id = relation_id(relation.source.as_str(), property.as_str(), relation.target.as_str());
        let iri = NamedNode::new_unchecked(relation_iri(&id));
        self.inner.has_type(iri.as_ref(), GG_RELATION)
    }

    /// The IRI of a relation property, if the ontology declares it (a sub-property of
    /// `gg:relatedTo`, possibly indirectly).
    pub fn relation_property(&self, predicate: &Predicate) -> Result<Option<RelationProperty>, StoreError> {
        if *predicate == Predicate::RelatedTo {
            return Ok(Some(RelationProperty(GG_RELATED_TO.into_owned())));
        }
        let Ok(RelationProperty(node)) = RelationProperty::assume(predicate) else {
            return Ok(None);
        };
        let mut prepared = SparqlEvaluator::new()
            .parse_query(&format!(
                "ASK {{ {node} <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>+ <{}> }}",
                GG_RELATED_TO.as_str()
            ))
            .map_err(|e| StoreError::QueryEvaluation(e.to_string()))?;
        prepared.dataset_mut().set_default_graph_as_union();
        match prepared
            .on_store(&self.inner)
            .execute()
            .map_err(|e| StoreError::QueryEvaluation(e.to_string()))?
        {
            QueryResults::Boolean(true) => Ok(Some(RelationProperty(node))),
            _ => Ok(None),
        }
    }

    /// The kind the ontology fixes for every relation of `property` (`gg:fixedKind`), if any.
    pub fn fixed_kind(&self, property: &RelationProperty) -> Result<Option<RelationKind>, StoreError> {
        for quad in self
            .inner
            .quads_for_pattern(Some(property.0.as_ref().into()), Some(GG_FIXED_KIND), None, None)
        {
            let kind = quad?.object;
            if let Some(kind) = RelationKind::ALL
                .iter()
                .copied()
                .find(|k| Term::from(relation_kind_iri(*k)) == kind)
            {
                return Ok(Some(kind));
            }
        }
        Ok(None)
    }

    /// Why `kind` is wrong for `property`, when the ontology fixes another one.
    pub fn kind_mismatch(&self, property: &RelationProperty, kind: RelationKind) -> Result<Option<String>, StoreError> {
        Ok(self.fixed_kind(property)?.filter(|fixed| *fixed != kind).map(|fixed| {
            let name = property.as_str().rsplit(['#', '/']).next().unwrap_or(property.as_str());
            format!("`{name}` relations are {fixed}: direct when one item organises, produces, prepares, contains or continues the other; indirect for influence, discussion or input")
        }))
    }

    /// The quads that write `entities` and `relations` into `graph`: their statements and what
    /// they imply; and the fingerprint of the change.
    fn curated_quads(
        &self,
        entities: &[NewEntity],
        relations: &[(NewRelation, RelationProperty)],
        graph: &NamedNode,
        what: &str,
    ) -> Result<(Vec<Quad>, String), StoreError> {
        let mut writer = QuadWriter::new(GraphName::NamedNode(graph.clone()));
        for entity in entities {
            writer.entity(entity)?;
        }
        for (relation, predicate) in relations {
            writer.relation(relation, predicate)?;
        }
        let mut quads = writer.quads;
        let mut materializer = Materializer::new(Schema::from_store(&self.inner)?.closure());
        for quad in &quads {
            materializer.observe(quad);
        }
        let fingerprint: String = quads.iter().map(|quad| format!("{quad}\n")).collect();
        quads.extend(materializer.finish());
        Ok((quads, format!("{what}\n{fingerprint}")))
    }

    /// Writes entities and relations (relations with their resolved property) into `graph`, in
    /// one atomic commit, with the derived triples, through the bulk loader. The caller has
    /// validated them.
    pub fn import(
        &self,
        entities: &[NewEntity],
        relations: &[(NewRelation, RelationProperty)],
        graph: &NamedNode,
        progress: &dyn Progress,
    ) -> Result<ImportReport, StoreError> {
        progress.start("importing", Some((entities.len() + relations.len()) as u64));
        let (mut quads, change) = self.curated_quads(entities, relations, graph, "import")?;
        quads.extend(bulk_change_quads(&self.inner, &change)?);
        let report = ImportReport {
            entities: entities.len(),
            relations: relations.len(),
            quads: quads.len(),
        };
        let mut loader = self.inner.bulk_loader();
        loader.load_quads(quads)?;
        loader.commit()?;
        progress.set(report.entities as u64 + report.relations as u64);
        progress.finish();
        Ok(report)
    }

    /// The same as [`Store::import`] for a few values, as one transaction: the path of online
    /// writes (GraphQL mutations).
    pub fn create(
        &self,
        entities: &[NewEntity],
        relations: &[(NewRelation, RelationProperty)],
        graph: &NamedNode,
    ) -> Result<(), StoreError> {
        let (quads, change) = self.curated_quads(entities, relations, graph, "create")?;
        let mut transaction = self.begin()?;
        transaction.extend(&quads);
        transaction.record_change(&change)?;
        transaction.commit()?;
        Ok(())
    }
}

/// The id a relation gets: `{source}--{property}--{target}`.
pub fn new_relation_id(relation: &NewRelation, property: &RelationProperty) -> String {
    relation_id(relation.source.as_str(), property.as_str(), relation.target.as_str())
}

/// The formats `govgraph generate` writes, chosen by the output file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataFileFormat {
    Turtle,
    NTriples,
    NQuads,
    TriG,
}

impl DataFileFormat {
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "ttl" => Some(Self::Turtle),
            "nt" => Some(Self::NTriples),
            "nq" => Some(Self::NQuads),
            "trig" => Some(Self::TriG),
            _ => None,
        }
    }

    fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::NTriples => RdfFormat::NTriples,
            Self::NQuads => RdfFormat::NQuads,
            Self::TriG => RdfFormat::TriG,
        }
    }
}

/// Serialises entities and relations as RDF in the project's vocabulary, without the
/// materialised triples (the loader derives them). Triples are written to the default graph, so
/// that `govgraph load --graph` can choose one.
pub fn write_rdf(
    format: DataFileFormat,
    entities: impl IntoIterator<Item = NewEntity>,
    relations: impl IntoIterator<Item = NewRelation>,
    output: &mut dyn Write,
) -> Result<(), StoreError> {
    let mut serializer = RdfSerializer::from_format(format.rdf_format());
    for (prefix, iri) in [("gg", NS), ("id", id_namespace()), ("rel", rel_namespace())] {
        serializer = serializer
            .with_prefix(prefix, iri)
            .map_err(|e| StoreError::InvalidIri {
                iri: iri.to_owned(),
                message: e.to_string(),
            })?;
    }
    let mut output = serializer.for_writer(output);
    let mut writer = QuadWriter::new(GraphName::DefaultGraph);
    let mut flush = |writer: &mut QuadWriter| -> Result<(), StoreError> {
        for quad in writer.quads.drain(..) {
            output.serialize_quad(&quad).map_err(StoreError::Output)?;
        }
        Ok(())
    };
    for entity in entities {
        writer.entity(&entity)?;
        flush(&mut writer)?;
    }
    for relation in relations {
        writer.relation(&relation, &RelationProperty::assume(&relation.predicate)?)?;
        flush(&mut writer)?;
    }
    output.finish().map_err(StoreError::Output)?;
    Ok(())
}
