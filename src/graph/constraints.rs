//! The constraints a single search runs under: the filter, plus the nodes, relations, time
//! state and hop budget that Yen's spurs and `via` segments inherit; and the checks every search
//! (`path`, `temporal`) makes with them on each step.

use super::filter::NO_DATE;
use super::{EdgeIndex, Filter, NodeIndex, Projection};
use std::cell::Cell;

/// What a single search may use, beyond the filter.
pub(crate) struct Constraints<'f> {
    pub(crate) filter: &'f Filter,
    /// Sorted: a handful (a root path's nodes, the relations k paths take at one node), where a
    /// hash set would hash on every step of the search.
    blocked_nodes: Vec<NodeIndex>,
    blocked_edges: Vec<EdgeIndex>,
    /// The temporal state the path is in before its first node (see `Filter::advance`).
    pub(crate) state: i32,
    pub(crate) max_hops: Option<usize>,
    /// Nothing is filtered or blocked: the hot loops skip every check.
    unconstrained: bool,
    /// Nothing is filtered (things may be blocked): steps never read node or relation data.
    unfiltered: bool,
    pub(crate) linking: Linking,
    /// Relations the search may still walk before it gives up (see `Projection::path_within`).
    work_left: Cell<usize>,
    /// The search gave up at its budget: its "no path" means nothing.
    gave_up: Cell<bool>,
}

/// How a bidirectional search finds the links between its layers once the searches have met.
/// Either way gives the same path; tests force each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code, reason = "only tests force a way"))]
pub(crate) enum Linking {
    /// Whichever costs less here.
    #[default]
    Cheapest,
    /// Binary search for links between the candidates.
    Search,
    /// Scan the relations of the nodes on one side.
    Scan,
}

impl Linking {
    pub(crate) fn searches(self, search_cost: usize, scan_cost: usize) -> bool {
        match self {
            Linking::Cheapest => search_cost < scan_cost,
            Linking::Search => true,
            Linking::Scan => false,
        }
    }
}

impl<'f> Constraints<'f> {
    /// Keeps the search off these nodes.
    pub(crate) fn block_nodes(&mut self, nodes: impl IntoIterator<Item = NodeIndex>) {
        self.blocked_nodes = nodes.into_iter().collect();
        self.blocked_nodes.sort_unstable();
        self.blocked_nodes.dedup();
        self.unconstrained &= self.blocked_nodes.is_empty();
    }

    /// Keeps the search off these relations.
    pub(crate) fn block_edges(&mut self, edges: impl IntoIterator<Item = EdgeIndex>) {
        self.blocked_edges = edges.into_iter().collect();
        self.blocked_edges.sort_unstable();
        self.blocked_edges.dedup();
        self.unconstrained &= self.blocked_edges.is_empty();
    }

    fn blocks_node(&self, n: NodeIndex) -> bool {
        self.blocked_nodes.binary_search(&n).is_ok()
    }

    fn blocks_edge(&self, e: EdgeIndex) -> bool {
        self.blocked_edges.binary_search(&e).is_ok()
    }

    pub(crate) fn new(filter: &'f Filter) -> Self {
        Self {
            filter,
            blocked_nodes: Vec::new(),
            blocked_edges: Vec::new(),
            state: NO_DATE,
            max_hops: filter.max_hops,
            unconstrained: filter.passes_everything(),
            unfiltered: filter.passes_everything(),
            linking: Linking::default(),
            work_left: Cell::new(usize::MAX),
            gave_up: Cell::new(false),
        }
    }

    /// The same constraints, with at most `work` relations to walk.
    pub(crate) fn within(self, work: usize) -> Self {
        self.work_left.set(work);
        self
    }

    /// Charges `work` relations walked; false (and the search gives up) once the budget is spent.
    pub(crate) fn charge(&self, work: usize) -> bool {
        match self.work_left.get().checked_sub(work) {
            Some(left) => {
                self.work_left.set(left);
                true
            }
            None => {
                self.gave_up.set(true);
                false
            }
        }
    }

    pub(crate) fn gave_up(&self) -> bool {
        self.gave_up.get()
    }
}

impl Projection {
    pub(crate) fn usable(&self, c: &Constraints<'_>, n: NodeIndex) -> bool {
        self.contains(n) && !c.blocks_node(n) && c.filter.node_passes(self.node_data(n))
    }

    /// The steps a search may take from `n` (towards `n` when `backward`).
    pub(crate) fn moves(
        &self,
        n: NodeIndex,
        backward: bool,
        c: &Constraints<'_>,
    ) -> impl Iterator<Item = (EdgeIndex, NodeIndex)> {
        self.steps(n, c.filter.direction, backward)
            .filter(move |&(e, next)| self.allowed(c, e, next))
    }

    /// Whether a search may take relation `e` to `next`, the node at its other end.
    pub(crate) fn allowed(&self, c: &Constraints<'_>, e: EdgeIndex, next: NodeIndex) -> bool {
        if c.unconstrained {
            return true;
        }
        if c.blocks_edge(e) || c.blocks_node(next) {
            return false;
        }
        c.unfiltered || (c.filter.edge_passes(self.edge_data(e)) && c.filter.node_passes(self.node_data(next)))
    }
}
