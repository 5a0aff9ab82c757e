//! CSV tables in the layout Gephi's spreadsheet import expects: an edge list (`Source,Target,
//! Type,Id,Label,...`) and, with `part=nodes`, the node table (`Id,Label,...`).

use super::Drawing;
use super::legend::openness_name;

fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut result = writer.write_record(header);
    for row in rows {
        result = result.and_then(|()| writer.write_record(&row));
    }
    if let Err(error) = result {
        tracing::error!(%error, "writing CSV to memory failed");
    }
    writer.into_inner().unwrap_or_default()
}

pub fn edges(drawing: &Drawing) -> Vec<u8> {
    csv(
        &[
            "Source",
            "Target",
            "Type",
            "Id",
            "Label",
            "Kind",
            "Predicate",
            "EvidenceType",
            "Weight",
        ],
        drawing.relations.iter().map(|relation| {
            vec![
                relation.source.clone(),
                relation.target.clone(),
                "Directed".to_owned(),
                relation.id.clone(),
                relation.predicate_label.clone(),
                relation.kind.name().to_owned(),
                relation.predicate.clone(),
                relation.evidence_type.map(|e| e.name().to_owned()).unwrap_or_default(),
                relation.confidence.map_or_else(|| "1".to_owned(), |c| c.to_string()),
            ]
        }),
    )
}

pub fn nodes(drawing: &Drawing) -> Vec<u8> {
    csv(
        &["Id", "Label", "Kind", "Openness", "Start", "End", "Location", "IRI"],
        drawing.entities.iter().map(|entity| {
            vec![
                entity.id.clone(),
                entity.label.clone(),
                entity.kind.name().to_owned(),
                openness_name(entity.openness).to_owned(),
                entity.start_date.map(|d| d.to_string()).unwrap_or_default(),
                entity.end_date.map(|d| d.to_string()).unwrap_or_default(),
                entity.location.clone().unwrap_or_default(),
                entity.iri.clone(),
            ]
        }),
    )
}
