//! Shortest time-respecting paths. Whether a step is allowed depends on the dates met before it,
//! so a search from both ends does not decompose; this is a forward BFS over states (node, latest
//! `earliest` day met so far), layer by layer. A state is dropped when a state at the same node
//! with fewer hops and an earlier-or-equal day exists: anything it could still reach, that one
//! reaches sooner, so it lies on no shortest path. States at the same node and depth are all kept,
//! because the one with the later day may be the one whose prefix comes first in the tie order.
//! Shortest time-respecting walks are simple (see `filter`), so every walk found is a path.

use std::collections::HashSet;

use super::constraints::Constraints;
use super::{GraphPath, NodeIndex, Projection};

type State = (NodeIndex, i32);

/// The first shortest time-respecting path in the tie order. The endpoints were checked by the
/// caller. After the BFS reaches `to`, the states that still lead to `to` in the remaining number
/// of hops are marked layer by layer from the end, and the path is walked from `from` taking the
/// smallest next node id among marked states, then the smallest relation id: a state's successor
/// through a node does not depend on the relation taken, so node choice and relation choice are
/// independent.
pub(crate) fn first_path(
    projection: &Projection,
    from: NodeIndex,
    to: NodeIndex,
    c: &Constraints<'_>,
) -> Option<GraphPath> {
    let step = |state: i32, n: NodeIndex| c.filter.advance(state, projection.node_data(n));
    let start = step(c.state, from)?;
    if from == to {
        return Some(GraphPath::single(from));
    }

    // The earliest state each node was reached in, in the layers built so far.
    let mut best: Vec<Option<i32>> = vec![None; projection.node_bound()];
    best[from.index()] = Some(start);
    let mut layers: Vec<Vec<State>> = vec![vec![(from, start)]];
    loop {
        if c.max_hops.is_some_and(|max| layers.len() > max) {
            return None;
        }
        let mut layer = Vec::new();
        let mut seen = HashSet::new();
        for &(n, state) in layers.last().map_or(&[][..], Vec::as_slice) {
            for (_, next) in projection.moves(n, false, c) {
                let Some(reached) = step(state, next) else { continue };
                if best[next.index()].is_some_and(|known| known <= reached) {
                    continue;
                }
                if seen.insert((next, reached)) {
                    layer.push((next, reached));
                }
            }
        }
        if layer.is_empty() {
            return None;
        }
        for &(n, state) in &layer {
            let known = &mut best[n.index()];
            *known = Some(known.map_or(state, |known| known.min(state)));
        }
        let arrived = layer.iter().any(|&(n, _)| n == to);
        layers.push(layer);
        if arrived {
            break;
        }
    }

    let length = layers.len() - 1;
    let mut live: Vec<HashSet<State>> = vec![HashSet::new(); layers.len()];
    live[length] = layers[length].iter().copied().filter(|&(n, _)| n == to).collect();
    for depth in (0..length).rev() {
        let (before, after) = live.split_at_mut(depth + 1);
        for &(n, state) in &layers[depth] {
            let leads_on = projection
                .moves(n, false, c)
                .any(|(_, next)| step(state, next).is_some_and(|reached| after[0].contains(&(next, reached))));
            if leads_on {
                before[depth].insert((n, state));
            }
        }
    }

    let mut path = GraphPath::single(from);
    let mut state = start;
    for live_here in &live[1..] {
        let current = *path.nodes.last()?;
        let (edge, next, reached) = projection
            .moves(current, false, c)
            .filter_map(|(e, next)| Some((e, next, step(state, next)?)))
            .filter(|&(_, next, reached)| live_here.contains(&(next, reached)))
            .min_by_key(|&(e, next, _)| (projection.rank(next), projection.edge_rank(e)))?;
        path.nodes.push(next);
        path.edges.push(edge);
        state = reached;
    }
    (path.nodes.last() == Some(&to)).then_some(path)
}

#[cfg(test)]
mod tests {
    use crate::graph::oracle::{build, on, plain, shortest};
    use crate::graph::{Direction, Filter};

    fn temporal(max_hops: Option<usize>, directed: bool) -> Filter {
        Filter {
            temporal: true,
            max_hops,
            direction: if directed { Direction::Out } else { Direction::Both },
            ..Filter::default()
        }
    }

    #[test]
    fn a_path_back_in_time_gives_way_to_a_longer_one() {
        let graph = build(
            &[
                ("a", on("2010")),
                ("old", on("2005")),
                ("b", on("2012")),
                ("c", plain()),
                ("z", on("2015")),
            ],
            &[
                ("a", "p", "old"),
                ("old", "p", "z"),
                ("a", "p", "b"),
                ("b", "p", "c"),
                ("c", "p", "z"),
            ],
        );
        assert_eq!(
            shortest(&graph, "a", "z", &Filter::default()).unwrap(),
            ["a", "old", "z"]
        );
        assert_eq!(
            shortest(&graph, "a", "z", &temporal(None, false)).unwrap(),
            ["a", "b", "c", "z"]
        );
        assert_eq!(shortest(&graph, "a", "z", &temporal(Some(2), false)), None);
        assert_eq!(
            shortest(&graph, "z", "a", &temporal(None, false)),
            None,
            "2015 cannot lead to 2010"
        );
    }

    #[test]
    fn partial_dates_are_intervals() {
        let graph = build(
            &[("may", on("2014-05")), ("year", on("2014")), ("feb", on("2014-02"))],
            &[("may", "p", "year"), ("year", "p", "feb")],
        );
        assert_eq!(
            shortest(&graph, "may", "year", &temporal(None, true)).unwrap(),
            ["may", "year"]
        );
        assert_eq!(
            shortest(&graph, "year", "feb", &temporal(None, true)).unwrap(),
            ["year", "feb"]
        );
        assert_eq!(
            shortest(&graph, "may", "feb", &temporal(None, true)),
            None,
            "February is definitely before May, whatever lies between"
        );
    }

    #[test]
    fn an_undated_hub_cannot_reset_time() {
        // Through the undated hub, `may -> hub -> year -> hub -> feb` would pass a check against
        // the previous date only, but it is not simple, and February is before May.
        let graph = build(
            &[
                ("may", on("2014-05")),
                ("hub", plain()),
                ("year", on("2014")),
                ("feb", on("2014-02")),
            ],
            &[("may", "p", "hub"), ("hub", "p", "year"), ("hub", "p", "feb")],
        );
        assert_eq!(shortest(&graph, "may", "feb", &temporal(None, false)), None);
        assert_eq!(
            shortest(&graph, "year", "feb", &temporal(None, false)).unwrap(),
            ["year", "hub", "feb"]
        );
    }

    #[test]
    fn a_later_date_on_a_smaller_prefix_is_kept_for_the_tie_order() {
        // Both routes reach m in two hops; the one through `a` carries a later date but comes
        // first, and still reaches z.
        let graph = build(
            &[
                ("s", plain()),
                ("a", on("2012")),
                ("b", on("2010")),
                ("m", plain()),
                ("z", on("2013")),
            ],
            &[
                ("s", "p", "a"),
                ("s", "p", "b"),
                ("a", "p", "m"),
                ("b", "p", "m"),
                ("m", "p", "z"),
            ],
        );
        assert_eq!(
            shortest(&graph, "s", "z", &temporal(None, true)).unwrap(),
            ["s", "a", "m", "z"]
        );
        let only_b = build(
            &[
                ("s", plain()),
                ("a", on("2014")),
                ("b", on("2010")),
                ("m", plain()),
                ("z", on("2013")),
            ],
            &[
                ("s", "p", "a"),
                ("s", "p", "b"),
                ("a", "p", "m"),
                ("b", "p", "m"),
                ("m", "p", "z"),
            ],
        );
        assert_eq!(
            shortest(&only_b, "s", "z", &temporal(None, true)).unwrap(),
            ["s", "b", "m", "z"]
        );
    }

    #[test]
    fn a_longer_way_to_a_node_is_kept_when_it_arrives_earlier_in_time() {
        // v is first reached after 2014-01 (through a), later after 2013-06 only (through c);
        // only the second state can go on to z.
        let graph = build(
            &[("a", on("2014-01")), ("c", on("2013-06")), ("z", on("2013-09"))],
            &[
                ("s", "p", "a"),
                ("a", "p", "v"),
                ("v", "p", "z"),
                ("s", "p", "b"),
                ("b", "p", "c"),
                ("c", "p", "v"),
            ],
        );
        assert_eq!(
            shortest(&graph, "s", "z", &Filter::default()).unwrap(),
            ["s", "a", "v", "z"]
        );
        assert_eq!(
            shortest(&graph, "s", "z", &temporal(None, false)).unwrap(),
            ["s", "b", "c", "v", "z"]
        );
    }

    #[test]
    fn undated_and_single_node_paths_are_allowed() {
        let graph = build(
            &[("a", on("2010")), ("b", plain()), ("c", on("2011"))],
            &[("a", "p", "b"), ("b", "p", "c")],
        );
        assert_eq!(
            shortest(&graph, "a", "c", &temporal(None, true)).unwrap(),
            ["a", "b", "c"]
        );
        assert_eq!(shortest(&graph, "c", "c", &temporal(Some(0), true)).unwrap(), ["c"]);
    }
}
