//! CSV tables in the layout Gephi's spreadsheet import expects: an edge list (`Source,Target,
//! Type,Id,` then every edge attribute of the one list, `label` and `weight` among them) and,
//! with `part=nodes`, the node table (`Id,` then every node attribute). An absent value is an
//! empty cell. A CSV file has no place for the truncated flag: the response header says it.

use super::Drawing;
use super::attributes::{self, Attribute};

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

/// The structural columns, then one per attribute.
fn header<T>(own: &[&'static str], list: &[Attribute<T>]) -> Vec<&'static str> {
    own.iter()
        .copied()
        .chain(list.iter().map(|attribute| attribute.name))
        .collect()
}

/// The structural cells, then the item's values.
fn row<T>(own: Vec<String>, list: &[Attribute<T>], item: &T) -> Vec<String> {
    let values = list
        .iter()
        .map(|attribute| attribute.value(item).map(|value| value.text()).unwrap_or_default());
    own.into_iter().chain(values).collect()
}

pub fn edges(drawing: &Drawing) -> Vec<u8> {
    let own = ["Source", "Target", "Type", "Id"];
    csv(
        &header(&own, attributes::EDGE),
        drawing.relations.iter().map(|relation| {
            let cells = vec![
                relation.source.clone(),
                relation.target.clone(),
                "Directed".to_owned(),
                relation.id.clone(),
            ];
            row(cells, attributes::EDGE, relation)
        }),
    )
}

pub fn nodes(drawing: &Drawing) -> Vec<u8> {
    csv(
        &header(&["Id"], attributes::NODE),
        drawing
            .nodes
            .iter()
            .map(|node| row(vec![node.entity.id.clone()], attributes::NODE, node)),
    )
}
