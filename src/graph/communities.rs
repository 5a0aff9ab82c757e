//! Communities: a Leiden partition (see `leiden`, optimising modularity) of the
//! undirected simple graph underneath the projection, and the modularity of a partition as
//! Newman and Girvan define it. Directions are ignored, parallel relations (and a relation and its
//! converse) count as one edge of weight 1, and a relation from an entity to itself is left out.
//! Leiden is seeded and runs sequentially, and nodes are handed to it in id order, so a seed
//! and a graph fix the answer: one run from `seed`, then warm starts from its partition (seeds
//! `seed + 1`, `seed + 2`, ...) while each gains enough modularity.

use super::leiden::leiden;
use super::{NodeIndex, Projection};

/// A partition into communities.
#[derive(Clone, Debug, PartialEq)]
pub struct Communities {
    /// Newman-Girvan modularity of the partition at the resolution asked for (0 without edges).
    pub modularity: f64,
    /// Largest first, then by smallest member id.
    pub communities: Vec<Community>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Community {
    /// In id order.
    pub members: Vec<NodeIndex>,
    /// Members by their number of neighbours inside the community, most first, ties by id.
    pub central: Vec<NodeIndex>,
}

impl Projection {
    /// Leiden communities maximising modularity at `resolution` (1 is the classic modularity;
    /// higher gives smaller communities), from `seed`. Every node is in one community; a node
    /// without relations is a community of its own.
    pub fn communities(&self, resolution: f64, seed: u64) -> Communities {
        let (nodes, edges) = self.simple_edges();
        let singletons = || self.partitioned(&nodes, &edges, &(0..nodes.len()).collect::<Vec<_>>(), resolution);
        let Some(mut groups) = leiden(nodes.len(), &edges, resolution, seed, None) else {
            return singletons();
        };
        let mut best = self.partitioned(&nodes, &edges, &groups, resolution);
        // One Leiden run stops at a local optimum; Leiden again from its partition (a warm start
        // moves what the first left stranded) gains more than runs from other seeds do, so warm
        // starts follow for as long as each gains enough, as many as the graph's size allows.
        let warm_starts = MAX_WARM_STARTS.min((WARM_START_EDGES / edges.len()) as u64);
        for run in 1..=warm_starts {
            let Some(next) = leiden(nodes.len(), &edges, resolution, seed.wrapping_add(run), Some(&groups)) else {
                break;
            };
            let found = self.partitioned(&nodes, &edges, &next, resolution);
            if found.modularity <= best.modularity + WORTH_A_WARM_START {
                if found.modularity > best.modularity {
                    best = found;
                }
                break;
            }
            (best, groups) = (found, next);
        }
        best
    }

    /// The live nodes in id order, and the undirected simple edges between them as pairs of
    /// positions in that order (smaller first, sorted, no loops).
    fn simple_edges(&self) -> (Vec<NodeIndex>, Vec<(usize, usize)>) {
        let mut nodes: Vec<NodeIndex> = self.nodes().collect();
        nodes.sort_unstable_by_key(|&n| self.rank(n));
        let mut position = vec![usize::MAX; self.node_bound()];
        for (at, n) in nodes.iter().enumerate() {
            position[n.index()] = at;
        }
        let neighbours = self.undirected_neighbours();
        let mut edges: Vec<(usize, usize)> = nodes
            .iter()
            .flat_map(|n| {
                let from = position[n.index()];
                neighbours[n.index()]
                    .iter()
                    .map(|&next| position[next])
                    .filter(move |&to| from < to)
                    .map(move |to| (from, to))
                    .collect::<Vec<_>>()
            })
            .collect();
        edges.sort_unstable();
        (nodes, edges)
    }

    /// The communities `groups` (a label per position) make, ordered and scored.
    fn partitioned(
        &self,
        nodes: &[NodeIndex],
        edges: &[(usize, usize)],
        groups: &[usize],
        resolution: f64,
    ) -> Communities {
        let labels = groups.iter().copied().max().map_or(0, |max| max + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); labels];
        for (at, &group) in groups.iter().enumerate() {
            members[group].push(at);
        }
        members.retain(|group| !group.is_empty());
        // Positions are in id order, so a group's first position is its smallest id.
        members.sort_by_key(|group| (std::cmp::Reverse(group.len()), group[0]));
        let mut community = vec![0; nodes.len()];
        for (c, group) in members.iter().enumerate() {
            for &at in group {
                community[at] = c;
            }
        }
        let mut inside = vec![0_usize; nodes.len()];
        for &(a, b) in edges {
            if community[a] == community[b] {
                inside[a] += 1;
                inside[b] += 1;
            }
        }
        let modularity = modularity(nodes.len(), edges, &community, resolution);
        let communities = members
            .into_iter()
            .map(|group| {
                let mut central = group.clone();
                central.sort_by_key(|&at| (std::cmp::Reverse(inside[at]), at));
                Community {
                    members: group.into_iter().map(|at| nodes[at]).collect(),
                    central: central.into_iter().map(|at| nodes[at]).collect(),
                }
            })
            .collect();
        Communities {
            modularity,
            communities,
        }
    }
}

/// At most this many warm starts follow the first run.
const MAX_WARM_STARTS: u64 = 16;
/// Warm starts stop once they have visited about this many edges in all (a warm start visits each
/// edge a few times): at 5M relations, 2 warm starts, which keeps a first answer under 30 s there
/// on a 2-core machine.
/// A count of edges rather than a clock, so that the answer does not depend on the machine.
const WARM_START_EDGES: usize = 10_000_000;
/// A warm start that gains less modularity than this is the last.
const WORTH_A_WARM_START: f64 = 1e-4;

/// Newman-Girvan modularity of a partition of an unweighted simple graph, as networkx's
/// `community.modularity`: the sum over communities of `L_c / m - resolution * (d_c / 2m)^2`,
/// with `L_c` the edges inside, `d_c` the sum of degrees and `m` the edges; 0 without edges.
pub fn modularity(nodes: usize, edges: &[(usize, usize)], community: &[usize], resolution: f64) -> f64 {
    if edges.is_empty() {
        return 0.0;
    }
    let count = community.iter().copied().max().map_or(0, |max| max + 1);
    let (mut inside, mut degrees) = (vec![0.0_f64; count], vec![0.0_f64; count]);
    for &(a, b) in edges {
        if community[a] == community[b] {
            inside[community[a]] += 1.0;
        }
        degrees[community[a]] += 1.0;
        degrees[community[b]] += 1.0;
    }
    debug_assert_eq!(community.len(), nodes);
    let m = edges.len() as f64;
    inside
        .iter()
        .zip(&degrees)
        .map(|(inside, degree)| inside / m - resolution * (degree / (2.0 * m)).powi(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::modularity;
    use crate::graph::oracle::{build, plain};

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 1e-9
    }

    #[test]
    fn modularity_is_newman_girvan_s() {
        // Two triangles joined by one edge, split in two: networkx gives 5/14.
        let edges = [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (2, 3)];
        let split = [0, 0, 0, 1, 1, 1];
        assert!(close(modularity(6, &edges, &split, 1.0), 5.0 / 14.0));
        assert!(close(modularity(6, &edges, &[0; 6], 1.0), 0.0));
        // With resolution 2: 6/7 - 2 * 2 * (7/14)^2 = 6/7 - 1.
        assert!(close(modularity(6, &edges, &split, 2.0), 6.0 / 7.0 - 1.0));
        assert!(close(modularity(2, &[], &[0, 1], 1.0), 0.0));
    }

    #[test]
    fn leiden_finds_the_two_triangles_and_a_seed_fixes_the_answer() {
        let graph = build(
            &[("lone", plain())],
            &[
                ("a", "p", "b"),
                ("b", "p", "c"),
                ("c", "p", "a"),
                ("a", "q", "b"),
                ("x", "p", "y"),
                ("y", "p", "z"),
                ("z", "p", "x"),
                ("c", "p", "x"),
            ],
        );
        let found = graph.communities(1.0, 1);
        let ids: Vec<Vec<&str>> = found
            .communities
            .iter()
            .map(|c| c.members.iter().map(|&n| graph.node_id(n)).collect())
            .collect();
        assert_eq!(ids, [vec!["a", "b", "c"], vec!["x", "y", "z"], vec!["lone"]]);
        assert!(close(found.modularity, 5.0 / 14.0), "{}", found.modularity);
        let central: Vec<&str> = found.communities[0].central.iter().map(|&n| graph.node_id(n)).collect();
        assert_eq!(central, ["a", "b", "c"]);
        assert_eq!(graph.communities(1.0, 7), graph.communities(1.0, 7));
        let empty = build(&[("lone", plain())], &[]).communities(1.0, 1);
        assert_eq!(empty.communities.len(), 1);
        assert!(close(empty.modularity, 0.0));
    }
}
