//! Per-node scratch arrays for searches. A search on a large graph touches a few thousand nodes
//! (hundreds of thousands near hubs); allocating and clearing an array of every node for each
//! query would cost more than the search itself. Arrays are kept per thread, and an entry counts
//! only if it carries the stamp of the search using the array, so giving one back costs nothing:
//! the next search takes a new stamp instead of resetting what this one touched.

use std::cell::RefCell;

use super::NodeIndex;

/// What an untouched entry holds.
pub(crate) const UNSET: u32 = u32::MAX;

/// (stamp, value) per node, and the stamp of the search holding the array.
struct Stamped {
    entries: Vec<(u32, u32)>,
    stamp: u32,
}

thread_local! {
    static POOL: RefCell<Vec<Stamped>> = const { RefCell::new(Vec::new()) };
}

/// A value per node, all [`UNSET`] at first.
pub(crate) struct NodeMarks {
    array: Stamped,
}

impl NodeMarks {
    pub(crate) fn new(nodes: usize) -> Self {
        let pooled = POOL.with(|pool| {
            let mut pool = pool.borrow_mut();
            let found = pool.iter().position(|array| array.entries.len() >= nodes);
            found.map(|i| pool.swap_remove(i))
        });
        // Room for some more: writes add nodes one by one, and each would otherwise cost every
        // thread a new array.
        let mut array = pooled.unwrap_or_else(|| Stamped {
            entries: vec![(0, UNSET); nodes + nodes / 32 + 64],
            stamp: 0,
        });
        array.stamp = array.stamp.wrapping_add(1);
        if array.stamp == 0 {
            // Once in 2^32 searches the stamps wrap: clear them all, so no old one matches.
            array.entries.fill((0, UNSET));
            array.stamp = 1;
        }
        Self { array }
    }

    pub(crate) fn get(&self, n: NodeIndex) -> u32 {
        let (stamp, value) = self.array.entries[n.index()];
        if stamp == self.array.stamp { value } else { UNSET }
    }

    pub(crate) fn is_set(&self, n: NodeIndex) -> bool {
        self.get(n) != UNSET
    }

    pub(crate) fn set(&mut self, n: NodeIndex, value: u32) {
        self.array.entries[n.index()] = (self.array.stamp, value);
    }
}

impl Drop for NodeMarks {
    fn drop(&mut self) {
        let array = std::mem::replace(
            &mut self.array,
            Stamped {
                entries: Vec::new(),
                stamp: 0,
            },
        );
        POOL.with(|pool| {
            let mut pool = pool.borrow_mut();
            // A few arrays per thread cover every search (bidirectional uses three at once);
            // arrays of another size (for a projection of another size) are dropped as they come back.
            pool.retain(|kept| kept.entries.len() == array.entries.len());
            if pool.len() < 4 {
                pool.push(array);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_come_back_clean() {
        {
            let mut marks = NodeMarks::new(10);
            marks.set(NodeIndex::new(3), 7);
            marks.set(NodeIndex::new(3), 8);
            marks.set(NodeIndex::new(9), 0);
            assert_eq!(marks.get(NodeIndex::new(3)), 8);
            assert!(marks.is_set(NodeIndex::new(9)));
        }
        let marks = NodeMarks::new(10);
        assert!((0..10).all(|n| !marks.is_set(NodeIndex::new(n))), "reused and reset");
        drop(marks);
        let (mut outer, inner) = (NodeMarks::new(10), NodeMarks::new(10));
        outer.set(NodeIndex::new(1), 5);
        assert!(
            !inner.is_set(NodeIndex::new(1)),
            "two arrays in use at once are two arrays"
        );
    }

    #[test]
    fn stamps_that_wrap_clear_the_array() {
        let mut marks = NodeMarks::new(4);
        marks.set(NodeIndex::new(2), 9);
        // Pretend 2^32 - 1 searches used this array since.
        marks.array.stamp = u32::MAX - 1;
        marks.set(NodeIndex::new(3), 1);
        drop(marks);
        let wrapped = NodeMarks::new(4);
        assert_eq!(wrapped.array.stamp, u32::MAX);
        assert!(!wrapped.is_set(NodeIndex::new(3)));
        drop(wrapped);
        let cleared = NodeMarks::new(4);
        assert_eq!(cleared.array.stamp, 1);
        assert!((0..4).all(|n| !cleared.is_set(NodeIndex::new(n))));
    }
}
