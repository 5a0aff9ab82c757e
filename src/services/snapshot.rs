//! The catalog's inputs saved next to the store, so that a restart reads one file instead of
//! scanning every entity and relation in the store (seconds instead of minutes at a million
//! entities). A snapshot is used only if it was taken at the store's current dataset version;
//! anything else (missing, older, another format, damaged) falls back to reading the store.
//! The store stays the only source of truth: a snapshot can always be deleted.

use crate::graph::Projection;
use crate::model::{EvidenceType, RelationKind};
use crate::services::packed::Summaries;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

/// Bumped whenever the layout of [`Snapshot`] or of the types in it changes. 2: relation ends and
/// predicates as positions instead of ids and IRIs. 3: entity summaries say whether the entity
/// is ongoing. 4: relations' evidence type, confidence and documents.
const FORMAT: u32 = 4;
const FILE_NAME: &str = "govgraph-catalog.snapshot";

/// What `Catalog::build` needs, as read back; relation strings are borrowed from the file's bytes
/// (millions of small strings would cost more than the projection built from them).
#[derive(Deserialize)]
pub struct Snapshot<'a> {
    format: u32,
    pub version: String,
    pub entities: Summaries,
    /// The relations' predicate IRIs, each once.
    #[serde(borrow)]
    pub predicates: Vec<&'a str>,
    /// The IRIs of the documents relations cite, each once.
    #[serde(borrow)]
    pub documents: Vec<&'a str>,
    #[serde(borrow)]
    pub relations: Vec<PlacedRelation<'a>>,
    /// (predicate IRI, label, inverse label).
    pub labels: Vec<(String, String, String)>,
}

/// A relation whose ends are positions in the snapshot's entities (in id order, the projection's
/// node order) and whose predicate is a position in its predicates: a restart then looks up no
/// ids, which was most of what remained of it once the tables were sized up front.
#[derive(Serialize, Deserialize)]
pub struct PlacedRelation<'a> {
    pub id: &'a str,
    pub source: u32,
    pub target: u32,
    pub predicate: u16,
    pub kind: RelationKind,
    pub evidence: Option<EvidenceType>,
    /// In ten-thousandths, as the projection keeps it.
    pub confidence: u16,
    /// Positions in the snapshot's documents.
    pub documents: Vec<u32>,
}

/// The same layout written from a live catalog without copying its strings.
#[derive(Serialize)]
struct SnapshotRef<'a> {
    format: u32,
    version: &'a str,
    entities: &'a Summaries,
    predicates: Vec<&'a str>,
    documents: Vec<&'a str>,
    relations: Relations<'a>,
    labels: Vec<(&'a str, &'a str, &'a str)>,
}

/// Serializes like `Vec<PlacedRelation>`, straight from the projection, whose node `i` is the
/// catalog's summary `i` and whose predicate table the snapshot's predicates copy.
struct Relations<'a>(&'a Projection);

impl Serialize for Relations<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let projection = self.0;
        // The format writes the length first.
        let mut relations = serializer.serialize_seq(Some(projection.edge_count()))?;
        for edge in projection.edges() {
            let (source, target) = projection.endpoints(edge);
            let data = projection.edge_data(edge);
            relations.serialize_element(&PlacedRelation {
                id: projection.relation_id(edge),
                // Node indices are u32 in the projection.
                source: u32::try_from(source.index()).unwrap_or(u32::MAX),
                target: u32::try_from(target.index()).unwrap_or(u32::MAX),
                predicate: data.predicate,
                kind: data.kind,
                evidence: data.evidence,
                confidence: data.confidence,
                documents: projection.document_positions(edge).to_vec(),
            })?;
        }
        relations.end()
    }
}

/// Where the snapshot of the store in `data_dir` lives.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// What `build` makes of the snapshot at `path` if that was taken at `version`; `None`
/// otherwise (why is logged).
pub fn read<T>(path: &Path, version: &str, build: impl FnOnce(Snapshot<'_>) -> T) -> Option<T> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return None,
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "catalog snapshot unreadable: reading the store");
            return None;
        }
    };
    // The format comes first, so a file of another format is recognised before decoding the rest.
    match postcard::take_from_bytes::<u32>(&bytes) {
        Ok((FORMAT, _)) => {}
        _ => {
            tracing::info!(path = %path.display(), "catalog snapshot of another format: reading the store");
            return None;
        }
    }
    match postcard::from_bytes::<Snapshot>(&bytes) {
        Ok(snapshot) if snapshot.format == FORMAT && snapshot.version == version => Some(build(snapshot)),
        Ok(snapshot) => {
            tracing::info!(snapshot = %snapshot.version, store = version, "catalog snapshot is stale: reading the store");
            None
        }
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "catalog snapshot damaged: reading the store");
            None
        }
    }
}

/// What a snapshot is written from: a catalog without a delta, whose summary `i` is node `i` of
/// its projection.
pub struct Parts<'a> {
    pub version: &'a str,
    pub entities: &'a Summaries,
    pub projection: &'a Projection,
    /// (predicate IRI, label, inverse label).
    pub labels: Vec<(&'a str, &'a str, &'a str)>,
}

/// Writes a snapshot atomically: readers see the old file or the new one, whole.
pub fn write(path: &Path, parts: Parts<'_>) -> io::Result<()> {
    let snapshot = SnapshotRef {
        format: FORMAT,
        version: parts.version,
        entities: parts.entities,
        predicates: parts.projection.predicate_iris().collect(),
        documents: parts.projection.document_iris().collect(),
        relations: Relations(parts.projection),
        labels: parts.labels,
    };
    // A name of its own per writer: the start-up and shutdown writes may overlap.
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let partial = path.with_extension(format!("partial-{}-{stamp}", std::process::id()));
    let file = fs::File::create(&partial)?;
    let mut output = BufWriter::new(file);
    postcard::to_io(&snapshot, &mut output).map_err(io::Error::other)?;
    let file = output.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    fs::rename(&partial, path)?;
    Ok(())
}
