//! Per-node scratch arrays for searches. A search on a large graph touches a few thousand nodes;
//! allocating and clearing an array of every node for each query would cost more than the search
//! itself. Arrays are kept per thread and given back with only the touched entries reset.

use std::cell::RefCell;

use super::NodeIndex;

/// What an untouched entry holds.
pub(crate) const UNSET: u32 = u32::MAX;

thread_local! {
    static POOL: RefCell<Vec<Vec<u32>>> = const { RefCell::new(Vec::new()) };
}

/// A value per node, all [`UNSET`] at first.
pub(crate) struct NodeMarks {
    values: Vec<u32>,
    touched: Vec<u32>,
}

impl NodeMarks {
    pub(crate) fn new(nodes: usize) -> Self {
        let pooled = POOL.with(|pool| {
            let mut pool = pool.borrow_mut();
            let found = pool.iter().position(|values| values.len() == nodes);
            found.map(|i| pool.swap_remove(i))
        });
        Self {
            values: pooled.unwrap_or_else(|| vec![UNSET; nodes]),
            touched: Vec::new(),
        }
    }

    pub(crate) fn get(&self, n: NodeIndex) -> u32 {
        self.values[n.index()]
    }

    pub(crate) fn is_set(&self, n: NodeIndex) -> bool {
        self.values[n.index()] != UNSET
    }

    pub(crate) fn set(&mut self, n: NodeIndex, value: u32) {
        let slot = &mut self.values[n.index()];
        if *slot == UNSET {
            // Node indices fit in u32 (the projection's index type).
            self.touched.push(n.index() as u32);
        }
        *slot = value;
    }
}

impl Drop for NodeMarks {
    fn drop(&mut self) {
        for &n in &self.touched {
            self.values[n as usize] = UNSET;
        }
        let values = std::mem::take(&mut self.values);
        POOL.with(|pool| {
            let mut pool = pool.borrow_mut();
            // A few arrays per thread cover every search (bidirectional uses three at once);
            // arrays for a projection of another size are dropped as they come back.
            pool.retain(|kept| kept.len() == values.len());
            if pool.len() < 4 {
                pool.push(values);
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
    }
}
