//! The documents relations cite, interned twice: each document IRI once, and each distinct set of
//! documents once. A relation keeps one `u32`, its set's index, so a filter by source compares
//! integers (the sets citing a document are found once per query) and a relation costs four
//! bytes however many documents it cites. Most relations cite one document, so there are about as
//! many sets as documents.
//!
//! A projection's base holds one table; its delta holds another whose indices continue the base's
//! (as the predicate table does), so a write adds only what the base lacks.

use std::hash::Hash;
use std::sync::Arc;

use foldhash::fast::RandomState;

type Map<K, V> = std::collections::HashMap<K, V, RandomState>;

/// Values interned to indices starting at an offset (a delta's continue its base's).
struct Interned<T: ?Sized> {
    values: Vec<Arc<T>>,
    index: Map<Arc<T>, u32>,
}

// Not derived: the derive would ask `T: Clone`, which `str` and `[u32]` are not.
impl<T: ?Sized> Clone for Interned<T> {
    fn clone(&self) -> Self {
        Self {
            values: self.values.clone(),
            index: self.index.clone(),
        }
    }
}

impl<T: ?Sized> Default for Interned<T> {
    fn default() -> Self {
        Self {
            values: Vec::new(),
            index: Map::default(),
        }
    }
}

impl<T: ?Sized + Eq + Hash> Interned<T> {
    fn find(&self, value: &T) -> Option<u32> {
        self.index.get(value).copied()
    }

    /// Interns `value` at `offset + len` unless present; `None` when the index would overflow.
    fn insert(&mut self, value: &T, offset: usize) -> Option<u32>
    where
        Arc<T>: for<'a> From<&'a T>,
    {
        if let Some(found) = self.find(value) {
            return Some(found);
        }
        let at = u32::try_from(offset + self.values.len()).ok()?;
        let value: Arc<T> = Arc::from(value);
        self.values.push(Arc::clone(&value));
        self.index.insert(value, at);
        Some(at)
    }

    fn get(&self, at: usize) -> Option<&T> {
        self.values.get(at).map(|value| &**value)
    }

    fn len(&self) -> usize {
        self.values.len()
    }
}

/// Document IRIs and the sets of them relations cite.
#[derive(Clone, Default)]
pub(crate) struct Documents {
    iris: Interned<str>,
    /// Each set sorted, by document index.
    sets: Interned<[u32]>,
}

impl Documents {
    /// The index of the set of `iris` (in any order, repeats ignored), interning what neither
    /// `base` nor this table has yet; `None` past four billion documents or sets.
    pub(crate) fn intern<'a>(
        &mut self,
        base: Option<&Documents>,
        iris: impl IntoIterator<Item = &'a str>,
    ) -> Option<u32> {
        let (iri_offset, set_offset) = base.map_or((0, 0), |base| (base.iris.len(), base.sets.len()));
        let mut set = Vec::new();
        for iri in iris {
            let found = base.and_then(|base| base.iris.find(iri));
            set.push(match found {
                Some(at) => at,
                None => self.iris.insert(iri, iri_offset)?,
            });
        }
        set.sort_unstable();
        set.dedup();
        match base.and_then(|base| base.sets.find(&set)) {
            Some(at) => Some(at),
            None => self.sets.insert(&set, set_offset),
        }
    }

    /// The document of `iri`, looked up in `base` then here.
    pub(crate) fn document(&self, base: &Documents, iri: &str) -> Option<u32> {
        base.iris.find(iri).or_else(|| self.iris.find(iri))
    }

    /// The IRI of document `at`.
    pub(crate) fn iri<'a>(&'a self, base: &'a Documents, at: u32) -> &'a str {
        let at = at as usize;
        match at.checked_sub(base.iris.len()) {
            None => base.iris.get(at),
            Some(k) => self.iris.get(k),
        }
        .unwrap_or_default()
    }

    /// The documents of set `at`.
    pub(crate) fn set<'a>(&'a self, base: &'a Documents, at: u32) -> &'a [u32] {
        let at = at as usize;
        match at.checked_sub(base.sets.len()) {
            None => base.sets.get(at),
            Some(k) => self.sets.get(k),
        }
        .unwrap_or_default()
    }

    /// The sets, of `base` then here, that contain `document`, in index order.
    pub(crate) fn sets_with(&self, base: &Documents, document: u32) -> Vec<u32> {
        let mut found: Vec<u32> = base
            .sets
            .index
            .iter()
            .chain(&self.sets.index)
            .filter(|(set, _)| set.binary_search(&document).is_ok())
            .map(|(_, &at)| at)
            .collect();
        found.sort_unstable();
        found
    }

    /// Every document IRI, of `base` then here.
    pub(crate) fn iris<'a>(&'a self, base: &'a Documents) -> impl Iterator<Item = &'a str> {
        base.iris.values.iter().chain(&self.iris.values).map(|iri| &**iri)
    }

    pub(crate) fn bytes(&self) -> usize {
        let iris: usize = self.iris.values.iter().map(|iri| iri.len() + 48).sum();
        let sets: usize = self.sets.values.iter().map(|set| set.len() * 4 + 48).sum();
        iris + sets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_interned_once_whatever_their_order_and_a_delta_continues_the_base() {
        let mut base = Documents::default();
        let ab = base.intern(None, ["https://a", "https://b"]).unwrap();
        assert_eq!(base.intern(None, ["https://b", "https://a", "https://b"]), Some(ab));
        let empty = base.intern(None, std::iter::empty()).unwrap();
        assert_ne!(empty, ab);
        assert_eq!(base.set(&Documents::default(), empty), &[] as &[u32]);

        let mut delta = Documents::default();
        assert_eq!(
            delta.intern(Some(&base), ["https://a", "https://b"]),
            Some(ab),
            "the base's set"
        );
        let c = delta.intern(Some(&base), ["https://c"]).unwrap();
        assert_eq!(c, 2, "indices continue the base's");
        let ac = delta.intern(Some(&base), ["https://c", "https://a"]).unwrap();
        let a = delta.document(&base, "https://a").unwrap();
        let c_doc = delta.document(&base, "https://c").unwrap();
        assert_eq!(delta.iri(&base, c_doc), "https://c");
        assert_eq!(delta.set(&base, ac), &[a, c_doc]);
        assert_eq!(delta.sets_with(&base, a), vec![ab, ac]);
        assert_eq!(delta.sets_with(&base, c_doc), vec![c, ac]);
        assert_eq!(delta.iris(&base).count(), 3);
        assert_eq!(delta.document(&base, "https://z"), None);
    }
}
