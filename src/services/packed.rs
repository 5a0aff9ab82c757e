//! The catalog's entity summaries (names, kind, openness, dates), held compactly: every string
//! of every entity end to end in one buffer, and a small fixed record per entity. A million
//! `EntitySummary` values cost five allocations each (about 330 bytes an entity); here an entity
//! costs its text plus about 50 bytes, and restarts allocate no string per field.
//!
//! Entities are kept in the order they are pushed, which the catalog makes id order: positions
//! are the projection's node indices and the search index's documents.

use crate::model::{DayRange, EntityKind, EntitySummary, Openness, PartialDate};
use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy)]
struct Record {
    kind: EntityKind,
    openness: Option<Openness>,
    described: bool,
    aliases: u16,
    /// Where the entity's strings start in `ends`: its id, label, description (empty when
    /// there is none) and aliases follow one another.
    first: u32,
    start: Option<PartialDate>,
    end: Option<PartialDate>,
    ongoing: bool,
}

/// Entity summaries by position.
#[derive(Default)]
pub struct Summaries {
    text: String,
    /// String `s` is `text[ends[s - 1]..ends[s]]` (from 0 for the first).
    ends: Vec<u32>,
    records: Vec<Record>,
}

impl Summaries {
    /// Appends `entity`; `false` (and nothing kept) if the text would pass 4 GiB or the entity
    /// has more than 65 535 aliases, which offsets and counts of this size cannot describe.
    pub fn push(&mut self, entity: &EntitySummary) -> bool {
        let strings = [
            entity.id.as_str(),
            entity.label.as_str(),
            entity.description.as_deref().unwrap_or(""),
        ];
        let all = || strings.into_iter().chain(entity.aliases.iter().map(String::as_str));
        let length: usize = all().map(str::len).sum();
        let (Ok(first), Ok(aliases), Ok(_)) = (
            u32::try_from(self.ends.len()),
            u16::try_from(entity.aliases.len()),
            u32::try_from(self.text.len() + length),
        ) else {
            return false;
        };
        for string in all() {
            self.text.push_str(string);
            // Fits: the total length was checked above.
            self.ends.push(self.text.len() as u32);
        }
        self.records.push(Record {
            kind: entity.kind,
            openness: entity.openness,
            described: entity.description.is_some(),
            aliases,
            first,
            start: entity.start,
            end: entity.end,
            ongoing: entity.ongoing,
        });
        true
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn get(&self, position: usize) -> Option<Summary<'_>> {
        let record = self.records.get(position)?;
        Some(Summary {
            summaries: self,
            record,
            position,
        })
    }

    /// The summary at `position`, which must be below `len()` (it panics otherwise, as slice
    /// indexing does): for positions taken from the catalog's own projection.
    pub fn at(&self, position: usize) -> Summary<'_> {
        Summary {
            summaries: self,
            record: &self.records[position],
            position,
        }
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Summary<'_>> {
        self.records.iter().enumerate().map(|(position, record)| Summary {
            summaries: self,
            record,
            position,
        })
    }

    /// The position of the entity with this id; summaries must be in id order.
    pub fn position(&self, id: &str) -> Option<usize> {
        let position = self.records.partition_point(|record| self.string(record.first) < id);
        (self.get(position)?.id() == id).then_some(position)
    }

    /// Whether the ids are strictly increasing (in id order, no duplicates).
    pub fn in_id_order(&self) -> bool {
        self.records
            .windows(2)
            .all(|pair| self.string(pair[0].first) < self.string(pair[1].first))
    }

    /// Heap bytes held, for the logs and the benchmarks.
    pub fn bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4 + self.records.capacity() * size_of::<Record>()
    }

    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.records.shrink_to_fit();
    }

    fn string(&self, s: u32) -> &str {
        let s = s as usize;
        let start = s.checked_sub(1).map_or(0, |before| self.ends[before] as usize);
        &self.text[start..self.ends[s] as usize]
    }
}

impl FromIterator<EntitySummary> for Summaries {
    /// Every entity that fits (see [`Summaries::push`]), in the order given.
    fn from_iter<I: IntoIterator<Item = EntitySummary>>(entities: I) -> Self {
        let mut summaries = Self::default();
        for entity in entities {
            summaries.push(&entity);
        }
        summaries.shrink_to_fit();
        summaries
    }
}

/// One entity's summary, read in place.
#[derive(Clone, Copy)]
pub struct Summary<'s> {
    summaries: &'s Summaries,
    record: &'s Record,
    position: usize,
}

impl<'s> Summary<'s> {
    /// The entity's position (its node index in the catalog's projection).
    pub fn position(&self) -> usize {
        self.position
    }

    /// The same summary at another position: an entity kept apart from the catalog's base
    /// summaries still answers with its node index.
    pub fn placed_at(self, position: usize) -> Self {
        Self { position, ..self }
    }

    pub fn id(&self) -> &'s str {
        self.summaries.string(self.record.first)
    }

    pub fn label(&self) -> &'s str {
        self.summaries.string(self.record.first + 1)
    }

    pub fn description(&self) -> Option<&'s str> {
        self.record
            .described
            .then(|| self.summaries.string(self.record.first + 2))
    }

    pub fn aliases(&self) -> impl ExactSizeIterator<Item = &'s str> + use<'s> {
        let (summaries, first) = (self.summaries, self.record.first + 3);
        (first..first + u32::from(self.record.aliases)).map(move |s| summaries.string(s))
    }

    /// The label, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &'s str> + use<'s> {
        std::iter::once(self.label()).chain(self.aliases())
    }

    pub fn kind(&self) -> EntityKind {
        self.record.kind
    }

    pub fn openness(&self) -> Option<Openness> {
        self.record.openness
    }

    pub fn start(&self) -> Option<PartialDate> {
        self.record.start
    }

    pub fn end(&self) -> Option<PartialDate> {
        self.record.end
    }

    /// `gg:dateStatus gg:Ongoing`.
    pub fn ongoing(&self) -> bool {
        self.record.ongoing
    }

    /// The days the entity's dates cover (see [`DayRange::span`]: an ongoing entity without an
    /// end runs on).
    pub fn span(&self) -> Option<DayRange> {
        let day_range = |date: PartialDate| date.day_range();
        DayRange::span(self.start().map(day_range), self.end().map(day_range), self.ongoing())
    }

    pub fn to_owned(&self) -> EntitySummary {
        EntitySummary {
            id: self.id().to_owned(),
            kind: self.kind(),
            openness: self.openness(),
            start: self.start(),
            end: self.end(),
            ongoing: self.ongoing(),
            label: self.label().to_owned(),
            aliases: self.aliases().map(str::to_owned).collect(),
            description: self.description().map(str::to_owned),
        }
    }
}

impl PartialEq for Summary<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
            && self.label() == other.label()
            && self.description() == other.description()
            && self.aliases().eq(other.aliases())
            && (self.kind(), self.openness(), self.start(), self.end(), self.ongoing())
                == (
                    other.kind(),
                    other.openness(),
                    other.start(),
                    other.end(),
                    other.ongoing(),
                )
    }
}

impl std::fmt::Debug for Summary<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_owned().fmt(f)
    }
}

/// Written as a sequence of `EntitySummary`, one at a time (the snapshot's layout).
impl Serialize for Summaries {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|summary| summary.to_owned()))
    }
}

/// Read from a sequence of `EntitySummary`, each packed as soon as it is read: a restart never
/// holds a million of them at once.
impl<'de> Deserialize<'de> for Summaries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Packing;

        impl<'de> Visitor<'de> for Packing {
            type Value = Summaries;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a sequence of entity summaries")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut entities: A) -> Result<Summaries, A::Error> {
                let mut summaries = Summaries::default();
                while let Some(entity) = entities.next_element::<EntitySummary>()? {
                    summaries.push(&entity);
                }
                summaries.shrink_to_fit();
                Ok(summaries)
            }
        }

        deserializer.deserialize_seq(Packing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(id: &str, aliases: &[&str], description: Option<&str>) -> EntitySummary {
        EntitySummary {
            id: id.to_owned(),
            kind: EntityKind::Document,
            openness: Some(Openness::Closed),
            start: Some(PartialDate {
                year: 2013,
                month: Some(10),
                day: None,
            }),
            end: None,
            ongoing: id == "c",
            label: format!("The {id}"),
            aliases: aliases.iter().map(|alias| (*alias).to_owned()).collect(),
            description: description.map(str::to_owned),
        }
    }

    #[test]
    fn summaries_read_back_as_they_went_in() {
        let entities = vec![
            entity("a", &[], None),
            entity("b", &["B", "", "béé"], Some("")),
            entity("c", &["see"], Some("The third.")),
        ];
        let summaries: Summaries = entities.clone().into_iter().collect();
        assert_eq!(summaries.len(), 3);
        let back: Vec<EntitySummary> = summaries.iter().map(|summary| summary.to_owned()).collect();
        assert_eq!(back, entities, "an empty description is not a missing one");
        assert_eq!(summaries.position("b"), Some(1));
        assert_eq!(summaries.position("bb"), None);
        assert_eq!(summaries.position(""), None);
        assert!(summaries.in_id_order());
        let b = summaries.get(1).unwrap();
        assert_eq!(b.names().collect::<Vec<_>>(), ["The b", "B", "", "béé"]);
        assert_eq!(
            b.span().map(|span| span.earliest),
            Some(entities[1].start.unwrap().day_range().earliest)
        );
        assert!(
            !b.ongoing() && summaries.get(2).unwrap().ongoing(),
            "the status reads back"
        );
        assert_eq!(
            summaries.get(2).unwrap().span().map(|span| span.latest),
            Some(DayRange::OPEN_END),
            "an ongoing entity runs on"
        );
        assert!(summaries.get(3).is_none());
    }

    #[test]
    fn the_snapshot_layout_is_a_list_of_entity_summaries() {
        let entities = vec![entity("x", &["ex"], Some("An x.")), entity("y", &[], None)];
        let summaries: Summaries = entities.clone().into_iter().collect();
        let bytes = postcard::to_stdvec(&summaries).unwrap();
        assert_eq!(bytes, postcard::to_stdvec(&entities).unwrap());
        let read: Summaries = postcard::from_bytes(&bytes).unwrap();
        assert!(read.iter().eq(summaries.iter()));
        let unordered: Summaries = entities.into_iter().rev().collect();
        assert!(!unordered.in_id_order());
    }
}
