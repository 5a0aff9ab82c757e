//! Paths through waypoints: the shortest segment between consecutive stops, one after the other.
//!
//! The choice is greedy. Each segment is the first shortest path (tie order of the module `graph`)
//! from its stop to the next one that avoids every node used by earlier segments and every later
//! stop (so the whole path stays simple and the later stops stay reachable), within what is left
//! of `max_hops`, starting in the temporal state the earlier segments left. A segment that takes a
//! node a later segment needed can make the query fail, or come out longer, where a search over
//! whole paths would find one: e.g. from `a` via `b` to `c` where `a - x - b` is the only short
//! way to `b` and `x` is also the only way on to `c`, while `a - y - z - b` was available.

use super::constraints::Constraints;
use super::filter::NO_DATE;
use super::{Filter, GraphPath, NodeIndex, Projection};

impl Projection {
    /// A simple path through `stops` (from, waypoints..., to) in order, or `None` when the greedy
    /// segment by segment search (see the module documentation) finds none. A stop repeated right
    /// after itself is a segment of length 0; a stop repeated later gives `None`, as no simple path
    /// passes a node twice. `max_hops` bounds the whole path.
    pub fn path_via(&self, stops: &[NodeIndex], filter: &Filter) -> Option<GraphPath> {
        let (&first, rest) = stops.split_first()?;
        let mut c = Constraints::new(filter);
        if !self.usable(&c, first) {
            return None;
        }
        let mut path = GraphPath::single(first);
        let mut state = filter.advance(NO_DATE, self.node_data(first))?;
        for (index, &stop) in rest.iter().enumerate() {
            let current = *path.nodes.last()?;
            if stop == current {
                continue;
            }
            let used = &path.nodes[..path.nodes.len() - 1];
            let later = rest[index + 1..].iter().filter(|&&later| later != stop);
            c.block_nodes(used.iter().chain(later).copied());
            c.max_hops = filter.max_hops.map(|max| max.saturating_sub(path.hops()));
            c.state = state;
            let segment = self.first_path(current, stop, &c)?;
            for &n in &segment.nodes[1..] {
                state = filter.advance(state, self.node_data(n))?;
            }
            path.nodes.extend_from_slice(&segment.nodes[1..]);
            path.edges.extend_from_slice(&segment.edges);
        }
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::oracle::{build, check_path, ids, on, plain};
    use crate::graph::{Filter, Projection};

    fn via<'p>(projection: &'p Projection, stops: &[&str], filter: &Filter) -> Option<Vec<&'p str>> {
        let stops: Vec<_> = stops.iter().map(|id| projection.node(id).unwrap()).collect();
        let path = projection.path_via(&stops, filter)?;
        check_path(projection, &path, stops[0], *stops.last().unwrap(), filter);
        let mut position = 0;
        for stop in &stops {
            position += path.nodes[position..]
                .iter()
                .position(|n| n == stop)
                .expect("stops in order");
        }
        Some(ids(projection, &path))
    }

    #[test]
    fn a_waypoint_forces_a_detour() {
        let graph = build(
            &[],
            &[("a", "p", "z"), ("a", "p", "m"), ("m", "p", "n"), ("n", "p", "z")],
        );
        let filter = Filter::default();
        assert_eq!(via(&graph, &["a", "z"], &filter).unwrap(), ["a", "z"]);
        assert_eq!(via(&graph, &["a", "n", "z"], &filter).unwrap(), ["a", "m", "n", "z"]);
        assert_eq!(
            via(&graph, &["a", "a", "n", "n", "z"], &filter).unwrap(),
            ["a", "m", "n", "z"]
        );
        assert_eq!(via(&graph, &["a"], &filter).unwrap(), ["a"]);
        assert_eq!(via(&graph, &[], &filter), None);
        assert_eq!(via(&graph, &["a", "m", "a"], &filter), None, "a is used twice");
        let short = Filter {
            max_hops: Some(2),
            ..Filter::default()
        };
        assert_eq!(
            via(&graph, &["a", "n", "z"], &short),
            None,
            "max_hops bounds the whole path"
        );
    }

    #[test]
    fn segments_avoid_earlier_nodes_and_later_stops() {
        // a -> c would go through b, a later stop; then b -> c could not come back.
        let graph = build(
            &[],
            &[
                ("a", "p", "b"),
                ("b", "p", "c"),
                ("a", "p", "x"),
                ("x", "p", "y"),
                ("y", "p", "c"),
            ],
        );
        assert_eq!(
            via(&graph, &["a", "c", "b"], &Filter::default()).unwrap(),
            ["a", "x", "y", "c", "b"]
        );
    }

    #[test]
    fn the_greedy_choice_can_miss_a_path() {
        // The first segment takes x, the only way from b to c; `a y z b x c` exists.
        let graph = build(
            &[],
            &[
                ("a", "p", "x"),
                ("x", "p", "b"),
                ("a", "p", "y"),
                ("y", "p", "z"),
                ("z", "p", "b"),
                ("x", "p", "c"),
            ],
        );
        assert_eq!(via(&graph, &["a", "b", "c"], &Filter::default()), None);
    }

    #[test]
    fn time_carries_across_segments() {
        let graph = build(
            &[
                ("a", on("2010")),
                ("m", on("2014")),
                ("old", on("2012")),
                ("new", on("2016")),
                ("z", plain()),
            ],
            &[
                ("a", "p", "m"),
                ("m", "p", "old"),
                ("old", "p", "z"),
                ("m", "p", "new"),
                ("new", "p", "x"),
                ("x", "p", "z"),
            ],
        );
        let temporal = Filter {
            temporal: true,
            ..Filter::default()
        };
        assert_eq!(
            via(&graph, &["a", "m", "z"], &Filter::default()).unwrap(),
            ["a", "m", "old", "z"]
        );
        assert_eq!(
            via(&graph, &["a", "m", "z"], &temporal).unwrap(),
            ["a", "m", "new", "x", "z"]
        );
    }
}
