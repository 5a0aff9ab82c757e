//! Dumping the dataset. Formats that carry named graphs (N-Quads, TriG, JSON-LD) get every quad
//! as stored; formats that carry one graph (Turtle, N-Triples, RDF/XML) get the union of all
//! graphs, each triple once.

use super::StoreError;
use super::vocab::prefixes;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{NamedOrBlankNode, Triple};
use oxigraph::store::Store;
use std::collections::HashSet;
use std::io::Write;

crate::model::named_enum! {
    /// The formats of `govgraph export` and `GET /export`.
    ExportFormat ("export format") {
        Turtle => "turtle",
        Ntriples => "ntriples",
        Nquads => "nquads",
        Trig => "trig",
        Rdfxml => "rdfxml",
        Jsonld => "jsonld",
    }
}

impl ExportFormat {
    fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::Ntriples => RdfFormat::NTriples,
            Self::Nquads => RdfFormat::NQuads,
            Self::Trig => RdfFormat::TriG,
            Self::Rdfxml => RdfFormat::RdfXml,
            Self::Jsonld => RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        }
    }

    /// Whether the format keeps named graphs apart.
    pub fn carries_graphs(self) -> bool {
        self.rdf_format().supports_datasets()
    }

    pub fn media_type(self) -> &'static str {
        self.rdf_format().media_type()
    }

    pub fn file_extension(self) -> &'static str {
        self.rdf_format().file_extension()
    }
}

pub fn export(store: &Store, format: ExportFormat, output: &mut dyn Write) -> Result<(), StoreError> {
    let mut serializer = RdfSerializer::from_format(format.rdf_format());
    if format != ExportFormat::Ntriples && format != ExportFormat::Nquads {
        for (prefix, iri) in prefixes() {
            serializer = serializer
                .with_prefix(*prefix, *iri)
                .map_err(|error| StoreError::InvalidIri {
                    iri: (*iri).to_owned(),
                    message: error.to_string(),
                })?;
        }
    }
    let mut writer = serializer.for_writer(output);
    if format.carries_graphs() {
        for quad in store.iter() {
            writer.serialize_quad(&quad?).map_err(StoreError::Output)?;
        }
    } else {
        // Streams subject by subject: memory grows with the number of subjects, not of triples.
        let mut seen_subjects: HashSet<NamedOrBlankNode> = HashSet::new();
        for quad in store.iter() {
            let subject = quad?.subject;
            if !seen_subjects.insert(subject.clone()) {
                continue;
            }
            let mut triples: Vec<Triple> = Vec::new();
            for quad in store.quads_for_pattern(Some(subject.as_ref()), None, None, None) {
                triples.push(Triple::from(quad?));
            }
            triples.sort_by(|a, b| {
                (a.predicate.as_str(), a.object.to_string()).cmp(&(b.predicate.as_str(), b.object.to_string()))
            });
            triples.dedup();
            for triple in &triples {
                writer.serialize_triple(triple).map_err(StoreError::Output)?;
            }
        }
    }
    writer.finish().map_err(StoreError::Output)?;
    Ok(())
}
