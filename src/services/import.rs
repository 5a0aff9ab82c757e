//! Importing a spreadsheet: entities and relations as CSV (the columns of docs/cli.md), checked row by row
//! against each other and the store before anything is written; one bad row rejects the whole
//! import with `FILE:LINE: message`.

use crate::model::{
    ClaimProperty, ClaimValue, DocumentRef, EntityKind, EvidenceType, NewClaim, NewEntity, NewRelation, Openness,
    PartialDate, Predicate, RelationKind, Slug, Source,
};
use crate::store::{ImportReport, Progress, RelationProperty, Store, StoreError};
use std::collections::{HashMap, HashSet};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}:{line}: {message}")]
    Row { file: String, line: u64, message: String },
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("nothing to import: give --entities FILE.csv and/or --relations FILE.csv")]
    NothingToImport,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    /// Its row in the error table.
    pub fn code(&self) -> crate::error_code::ErrorCode {
        use crate::error_code::ErrorCode;
        match self {
            ImportError::Row { .. } | ImportError::NothingToImport => ErrorCode::BadRequest,
            ImportError::File { .. } => ErrorCode::NotFound,
            ImportError::Store(error) => error.code(),
        }
    }
}

const ENTITY_COLUMNS: &[&str] = &[
    "id",
    "label",
    "kind",
    "openness",
    "openness_note",
    "openness_source",
    "openness_quote",
    "openness_confidence",
    "openness_reason",
    "start_date",
    "end_date",
    "location",
    "aliases",
    "description",
    "source",
    "quote",
];
const ENTITY_REQUIRED: &[&str] = &["id", "label", "kind"];
const RELATION_COLUMNS: &[&str] = &[
    "source",
    "target",
    "predicate",
    "kind",
    "source_document",
    "quote",
    "confidence",
    "inference_reason",
];
const RELATION_REQUIRED: &[&str] = &["source", "target", "kind"];

/// A CSV file read with a header: each record as a map from column to trimmed value.
struct Sheet {
    file: String,
    file_name: String,
    rows: Vec<(u64, HashMap<String, String>)>,
}

impl Sheet {
    fn read(path: &Path, columns: &[&str], required: &[&str]) -> Result<Self, ImportError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ImportError::File {
            file: file.clone(),
            message: e.to_string(),
        })?;
        let file_name = path
            .file_name()
            .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
        Self::parse(
            CsvFile {
                file,
                file_name,
                bytes: &bytes,
            },
            columns,
            required,
        )
    }

    fn parse(input: CsvFile<'_>, columns: &[&str], required: &[&str]) -> Result<Self, ImportError> {
        let CsvFile { file, file_name, bytes } = input;
        let row_error = |line: u64, message: String| ImportError::Row {
            file: file.clone(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| row_error(1, csv_message(&e)))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        let mut seen = HashSet::new();
        for column in &header {
            if !columns.contains(&column.as_str()) {
                return Err(row_error(
                    1,
                    format!("unknown column `{column}` (expected: {})", columns.join(", ")),
                ));
            }
            if !seen.insert(column.clone()) {
                return Err(row_error(1, format!("column `{column}` appears twice")));
            }
        }
        for column in required {
            if !seen.contains(*column) {
                return Err(row_error(1, format!("missing required column `{column}`")));
            }
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, csv::Position::line);
                row_error(line, csv_message(&e))
            })?;
            let line = record.position().map_or(0, csv::Position::line);
            let values = header.iter().cloned().zip(record.iter().map(str::to_owned)).collect();
            rows.push((line, values));
        }
        Ok(Self { file, file_name, rows })
    }
}

/// A CSV file's contents, with the path messages name and the file name provenance cites.
pub struct CsvFile<'a> {
    pub file: String,
    pub file_name: String,
    pub bytes: &'a [u8],
}

/// Everything an import will write, checked against itself and the store.
#[derive(Debug, Default)]
pub struct ImportPlan {
    pub entities: Vec<NewEntity>,
    /// Each relation with the IRI of its predicate's property.
    pub relations: Vec<(NewRelation, RelationProperty)>,
}

fn csv_message(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8".to_owned(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Io(e) => e.to_string(),
        _ => error.to_string(),
    }
}

fn value<'a>(row: &'a HashMap<String, String>, column: &str) -> Option<&'a str> {
    row.get(column).map(String::as_str).filter(|v| !v.is_empty())
}

fn required<'a>(row: &'a HashMap<String, String>, column: &str) -> Result<&'a str, String> {
    value(row, column).ok_or_else(|| format!("`{column}` is empty"))
}

fn parse_entity(row: &HashMap<String, String>, file_name: &str) -> Result<NewEntity, String> {
    let id = Slug::parse(required(row, "id")?)?;
    let label = required(row, "label")?.to_owned();
    let kind: EntityKind = required(row, "kind")?.parse()?;
    let openness = value(row, "openness").map(str::parse::<Openness>).transpose()?;
    let start_date = value(row, "start_date").map(str::parse::<PartialDate>).transpose()?;
    let end_date = value(row, "end_date").map(str::parse::<PartialDate>).transpose()?;
    if let (Some(start), Some(end)) = (start_date, end_date)
        && end.is_before(&start)
    {
        return Err(format!("end_date {end} is before start_date {start}"));
    }
    let aliases = value(row, "aliases")
        .map(|aliases| {
            aliases
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let document = match value(row, "source") {
        Some(source) => DocumentRef::parse(source).map_err(|e| format!("source: {e}"))?,
        None => DocumentRef::ImportedFile(file_name.to_owned()),
    };
    let claims = match openness {
        Some(openness) => openness_claim(row, openness)?.into_iter().collect(),
        None if OPENNESS_CLAIM_COLUMNS.iter().any(|column| value(row, column).is_some()) => {
            return Err(
                "`openness_source`, `openness_quote`, `openness_confidence` and `openness_reason` need an `openness`"
                    .to_owned(),
            );
        }
        None => Vec::new(),
    };
    Ok(NewEntity {
        id,
        label,
        kind,
        openness,
        openness_note: value(row, "openness_note").map(str::to_owned),
        aliases,
        description: value(row, "description").map(str::to_owned),
        start_date,
        end_date,
        location: value(row, "location").map(str::to_owned),
        sources: vec![Source {
            document,
            quote: value(row, "quote").map(str::to_owned),
        }],
        claims,
    })
}

const OPENNESS_CLAIM_COLUMNS: [&str; 4] = [
    "openness_source",
    "openness_quote",
    "openness_confidence",
    "openness_reason",
];

/// The row's claim about its openness when it gives one (`openness_*` columns), typed by its
/// provenance as a relation row is; without them the openness is asserted on the row's source.
fn openness_claim(row: &HashMap<String, String>, openness: Openness) -> Result<Option<NewClaim>, String> {
    if OPENNESS_CLAIM_COLUMNS.iter().all(|column| value(row, column).is_none()) {
        return Ok(None);
    }
    let document =
        value(row, "openness_source").ok_or("`openness_source` is empty: name the document the openness comes from")?;
    let document = DocumentRef::parse(document).map_err(|e| format!("openness_source: {e}"))?;
    let quote = value(row, "openness_quote").map(str::to_owned);
    let confidence = value(row, "openness_confidence").map(confidence).transpose()?;
    let inference_reason = value(row, "openness_reason").map(str::to_owned);
    let claim = NewClaim {
        property: ClaimProperty::Openness,
        value: ClaimValue::Openness(openness),
        evidence_type: evidence_type(inference_reason.is_some(), &document, quote.is_some()),
        confidence,
        inference_reason,
        sources: vec![Source { document, quote }],
    };
    claim.check().map_err(|e| format!("openness: {e}"))?;
    Ok(Some(claim))
}

/// How a row's statement is known, from its provenance columns.
fn evidence_type(inferred: bool, document: &DocumentRef, quoted: bool) -> EvidenceType {
    match (inferred, document, quoted) {
        (true, _, _) => EvidenceType::Inferred,
        (false, DocumentRef::Url(_), true) => EvidenceType::PublicSource,
        (false, DocumentRef::Entity(_), true) => EvidenceType::SeedQuote,
        _ => EvidenceType::Asserted,
    }
}

fn confidence(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|c| (0.0..=1.0).contains(c))
        .ok_or(format!("confidence `{text}` is not a number from 0 to 1"))
}

fn parse_relation(row: &HashMap<String, String>, file_name: &str) -> Result<NewRelation, String> {
    let source = Slug::parse(required(row, "source")?).map_err(|e| format!("source: {e}"))?;
    let target = Slug::parse(required(row, "target")?).map_err(|e| format!("target: {e}"))?;
    if source == target {
        return Err(format!("a relation may not link `{source}` to itself"));
    }
    let kind: RelationKind = required(row, "kind")?.parse()?;
    let predicate = Predicate::parse(value(row, "predicate").unwrap_or(""))?;
    let quote = value(row, "quote").map(str::to_owned);
    let document = match value(row, "source_document") {
        Some(document) => DocumentRef::parse(document).map_err(|e| format!("source_document: {e}"))?,
        None => DocumentRef::ImportedFile(file_name.to_owned()),
    };
    let confidence = value(row, "confidence").map(confidence).transpose()?;
    let inference_reason = value(row, "inference_reason").map(str::to_owned);
    let evidence_type = evidence_type(inference_reason.is_some(), &document, quote.is_some());
    Ok(NewRelation {
        source,
        target,
        predicate,
        kind,
        evidence_type,
        confidence,
        inference_reason,
        sources: vec![Source { document, quote }],
    })
}

/// Imports `entities` and/or `relations` into `graph`, all or nothing.
pub fn import(
    store: &Store,
    entities: Option<&Path>,
    relations: Option<&Path>,
    graph: &str,
    progress: &dyn Progress,
) -> Result<ImportReport, ImportError> {
    if entities.is_none() && relations.is_none() {
        return Err(ImportError::NothingToImport);
    }
    let graph = Store::graph_name(graph)?;
    let entities = entities
        .map(|path| Sheet::read(path, ENTITY_COLUMNS, ENTITY_REQUIRED))
        .transpose()?;
    let relations = relations
        .map(|path| Sheet::read(path, RELATION_COLUMNS, RELATION_REQUIRED))
        .transpose()?;
    let plan = plan_sheets(store, entities.as_ref(), relations.as_ref())?;
    Ok(store.import(&plan.entities, &plan.relations, &graph, progress)?)
}

/// Parses and checks CSV contents against each other and the store without writing anything.
pub fn plan(
    store: &Store,
    entities: Option<CsvFile<'_>>,
    relations: Option<CsvFile<'_>>,
) -> Result<ImportPlan, ImportError> {
    let entities = entities
        .map(|csv| Sheet::parse(csv, ENTITY_COLUMNS, ENTITY_REQUIRED))
        .transpose()?;
    let relations = relations
        .map(|csv| Sheet::parse(csv, RELATION_COLUMNS, RELATION_REQUIRED))
        .transpose()?;
    plan_sheets(store, entities.as_ref(), relations.as_ref())
}

fn plan_sheets(store: &Store, entities: Option<&Sheet>, relations: Option<&Sheet>) -> Result<ImportPlan, ImportError> {
    let mut new_entities = Vec::new();
    let mut ids = HashSet::new();
    if let Some(sheet) = entities {
        for (line, row) in &sheet.rows {
            let row_error = |message: String| ImportError::Row {
                file: sheet.file.clone(),
                line: *line,
                message,
            };
            let entity = parse_entity(row, &sheet.file_name).map_err(row_error)?;
            if !ids.insert(entity.id.clone()) {
                return Err(row_error(format!("id `{}` appears twice in the file", entity.id)));
            }
            if store.entity_exists(&entity.id)? {
                return Err(row_error(format!(
                    "an entity `{}` already exists in the store",
                    entity.id
                )));
            }
            new_entities.push(entity);
        }
        // Checked once every id of the file is known: a row may cite a document defined below it.
        for ((line, _), entity) in sheet.rows.iter().zip(&new_entities) {
            for source in &entity.sources {
                if let DocumentRef::Entity(document) = &source.document
                    && !ids.contains(document)
                    && !store.entity_exists(document)?
                {
                    return Err(ImportError::Row {
                        file: sheet.file.clone(),
                        line: *line,
                        message: format!("source `{document}` is not a known entity; give an entity id or a URL"),
                    });
                }
            }
        }
    }
    let mut new_relations = Vec::new();
    if let Some(sheet) = relations {
        let mut keys = HashSet::new();
        for (line, row) in &sheet.rows {
            let row_error = |message: String| ImportError::Row {
                file: sheet.file.clone(),
                line: *line,
                message,
            };
            let relation = parse_relation(row, &sheet.file_name).map_err(row_error)?;
            for endpoint in [&relation.source, &relation.target] {
                if !ids.contains(endpoint) && !store.entity_exists(endpoint)? {
                    return Err(row_error(format!(
                        "unknown entity `{endpoint}`: not in the entities file nor in the store"
                    )));
                }
            }
            if let Some(DocumentRef::Entity(document)) = relation.sources.first().map(|s| &s.document)
                && !ids.contains(document)
                && !store.entity_exists(document)?
            {
                return Err(row_error(format!(
                    "source_document `{document}` is not a known entity; give an entity id or a URL"
                )));
            }
            let Some(property) = store.relation_property(&relation.predicate)? else {
                return Err(row_error(format!(
                    "unknown predicate {:?}: use a relation property of the ontology (e.g. `inspired`, `partOf`) or the IRI of a declared sub-property of gg:relatedTo",
                    relation.predicate
                )));
            };
            if let Some(message) = store.kind_mismatch(&property, relation.kind)? {
                return Err(row_error(message));
            }
            if !keys.insert((relation.source.clone(), property.clone(), relation.target.clone())) {
                return Err(row_error(
                    "the same relation (source, predicate, target) appears twice in the file".to_owned(),
                ));
            }
            if store.relation_exists(&relation, &property)? {
                return Err(row_error(
                    "this relation (source, predicate, target) already exists in the store".to_owned(),
                ));
            }
            new_relations.push((relation, property));
        }
    }
    Ok(ImportPlan {
        entities: new_entities,
        relations: new_relations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn entity_rows_are_checked_field_by_field() {
        let good = row(&[("id", "x-1"), ("label", "X"), ("kind", "meeting"), ("aliases", "a | b")]);
        let entity = parse_entity(&good, "f.csv").unwrap();
        assert_eq!(entity.aliases, ["a", "b"]);
        assert_eq!(entity.sources[0].document, DocumentRef::ImportedFile("f.csv".into()));
        let cases = [
            (
                row(&[("id", "Bad Id"), ("label", "X"), ("kind", "meeting")]),
                "invalid id",
            ),
            (
                row(&[("id", "x"), ("label", ""), ("kind", "meeting")]),
                "`label` is empty",
            ),
            (row(&[("id", "x"), ("label", "X"), ("kind", "venue")]), "unknown kind"),
            (
                row(&[
                    ("id", "x"),
                    ("label", "X"),
                    ("kind", "meeting"),
                    ("start_date", "2014-13-45"),
                ]),
                "invalid date",
            ),
            (
                row(&[
                    ("id", "x"),
                    ("label", "X"),
                    ("kind", "meeting"),
                    ("start_date", "2014-05"),
                    ("end_date", "2014-04"),
                ]),
                "before start_date",
            ),
            (
                row(&[("id", "x"), ("label", "X"), ("kind", "meeting"), ("openness", "ajar")]),
                "unknown openness",
            ),
        ];
        for (bad, expected) in cases {
            let error = parse_entity(&bad, "f.csv").unwrap_err();
            assert!(error.contains(expected), "{error} should mention {expected}");
        }
    }

    #[test]
    fn relation_rows_get_an_evidence_type_from_their_provenance() {
        let base = [("source", "a"), ("target", "b"), ("kind", "direct")];
        let with = |extra: &[(&str, &str)]| {
            let mut pairs = base.to_vec();
            pairs.extend_from_slice(extra);
            parse_relation(&row(&pairs), "r.csv").unwrap().evidence_type
        };
        assert_eq!(with(&[]), EvidenceType::Asserted);
        assert_eq!(
            with(&[("source_document", "https://example.org/x"), ("quote", "q")]),
            EvidenceType::PublicSource
        );
        assert_eq!(
            with(&[("source_document", "some-report"), ("quote", "q")]),
            EvidenceType::SeedQuote
        );
        assert_eq!(with(&[("inference_reason", "because")]), EvidenceType::Inferred);
        let self_loop = row(&[("source", "a"), ("target", "a"), ("kind", "direct")]);
        assert!(parse_relation(&self_loop, "r.csv").unwrap_err().contains("itself"));
    }

    fn seeded() -> Store {
        let store = Store::memory().unwrap();
        store.initialize(true, &crate::store::NoProgress).unwrap();
        store
    }

    fn csv<'a>(name: &str, text: &'a str) -> Option<CsvFile<'a>> {
        Some(CsvFile {
            file: format!("in/{name}"),
            file_name: name.to_owned(),
            bytes: text.as_bytes(),
        })
    }

    #[test]
    fn a_plan_checks_files_against_each_other_and_the_store_without_writing() {
        let store = seeded();
        let before = store.len().unwrap();
        let entities = "id,label,kind,source\nigf-2015,IGF 2015,meeting,https://www.intgovforum.org/\n";
        let relations = "source,target,kind,predicate\nigf-2015,igf,direct,partOf\n";
        let plan = plan(&store, csv("e.csv", entities), csv("r.csv", relations)).unwrap();
        assert_eq!(plan.entities.len(), 1);
        assert_eq!(plan.relations.len(), 1);
        assert_eq!(store.len().unwrap(), before, "planning writes nothing");

        let unknown = "source,target,kind\nigf-2015,no-such-entity,direct\n";
        let error = super::plan(&store, csv("e.csv", entities), csv("r.csv", unknown)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "in/r.csv:2: unknown entity `no-such-entity`: not in the entities file nor in the store"
        );
        let existing = "id,label,kind\nigf,IGF,meeting\n";
        let error = super::plan(&store, csv("e.csv", existing), None).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("in/e.csv:2: an entity `igf` already exists"),
            "{error}"
        );
    }
}
