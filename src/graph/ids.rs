//! Interned ids: every id's text end to end in one string, found again by hash. At millions of
//! relations this costs a few bytes per id beyond its text, where an `Arc<str>` per id plus a map
//! keyed by it costs an allocation, two pointers and a map slot each.

use std::hash::BuildHasher;

use foldhash::fast::RandomState;
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

#[derive(Default)]
pub(crate) struct Ids {
    text: String,
    /// Id `i` is `text[ends[i - 1]..ends[i]]` (from 0 for the first).
    ends: Vec<u32>,
    /// Positions in `ends`, by the hash of their text.
    index: HashTable<u32>,
    hasher: RandomState,
}

impl Ids {
    /// Room for `count` ids, so that adding them does not rehash (the text still grows).
    pub(crate) fn with_capacity(count: usize) -> Self {
        Self {
            text: String::new(),
            ends: Vec::with_capacity(count),
            index: HashTable::with_capacity(count),
            hasher: RandomState::default(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn get(&self, position: usize) -> &str {
        slice(&self.text, &self.ends, position)
    }

    pub(crate) fn find(&self, id: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(id);
        self.index
            .find(hash, |&position| self.get(position as usize) == id)
            .map(|&position| position as usize)
    }

    /// Adds `id` at the next position; `None` if it is already there, or if the ids would pass
    /// 4 GiB of text or 2^32 ids (positions and offsets are u32). Hashes `id` once.
    pub(crate) fn insert(&mut self, id: &str) -> Option<usize> {
        let end = u32::try_from(self.text.len() + id.len()).ok()?;
        let position = u32::try_from(self.ends.len()).ok()?;
        let hash = self.hasher.hash_one(id);
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        let entry = self.index.entry(
            hash,
            |&other| slice(text, ends, other as usize) == id,
            |&other| hasher.hash_one(slice(text, ends, other as usize)),
        );
        match entry {
            Entry::Occupied(_) => return None,
            Entry::Vacant(vacant) => vacant.insert(position),
        };
        self.text.push_str(id);
        self.ends.push(end);
        Some(position as usize)
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        self.index
            .shrink_to_fit(|&other| hasher.hash_one(slice(text, ends, other as usize)));
    }

    pub(crate) fn bytes(&self) -> usize {
        // A table slot is the u32 and a control byte.
        self.text.capacity() + self.ends.capacity() * 4 + self.index.capacity() * 5
    }
}

/// Id `position` of `text` cut at `ends` (a free function, so the hash table's rehashing closures
/// can use it while the table itself is borrowed mutably).
fn slice<'t>(text: &'t str, ends: &[u32], position: usize) -> &'t str {
    let start = position.checked_sub(1).map_or(0, |before| ends[before] as usize);
    &text[start..ends[position] as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_by_text_and_kept_once() {
        // Growing from nothing and from too little both rehash what is already there.
        for mut ids in [Ids::default(), Ids::with_capacity(3)] {
            assert_eq!(ids.insert("alpha"), Some(0));
            assert_eq!(ids.insert(""), Some(1), "an empty id is an id");
            assert_eq!(ids.insert("beta"), Some(2));
            assert_eq!(ids.insert("alpha"), None, "the first wins");
            for n in 0..1000 {
                ids.insert(&format!("id-{n}"));
            }
            assert_eq!(ids.insert("id-500"), None);
            ids.shrink_to_fit();
            assert_eq!(ids.len(), 1003);
            assert_eq!((ids.get(0), ids.get(1), ids.get(2)), ("alpha", "", "beta"));
            assert_eq!(ids.find("beta"), Some(2));
            assert_eq!(ids.find("id-999"), Some(1002));
            assert_eq!(ids.get(1002), "id-999");
            assert_eq!(ids.find("gamma"), None);
        }
    }
}
