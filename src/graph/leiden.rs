//! Leiden (Traag, Waltman and van Eck, "From Louvain to Leiden", 2019) maximising modularity on an
//! undirected graph in compressed rows: fast local moving, a refinement that only merges
//! well-connected parts, aggregation by the refined partition, until no node moves.
//!
//! Written here rather than taken from `leiden-rs` (which this project used first): its
//! refinement clears arrays as long as the whole graph for every community, a time proportional
//! to nodes times communities, which took minutes at a million entities. Here each level costs a
//! few passes over its relations. The refinement merges greedily (the best gain, not a random
//! choice weighted by it), which keeps its guarantee (every community well connected) and makes
//! the answer depend on the seed through the order of visits alone.

use std::collections::VecDeque;

/// SplitMix64 (Steele, Lea and Flood 2014): the visiting orders' randomness, seeded, so that a
/// seed fixes the answer (the graph module takes no outside randomness).
struct Shuffler(u64);

impl Shuffler {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// `0..n` in a random order (Fisher-Yates; the modulo's bias is negligible for n far below
    /// 2^64).
    fn order(&mut self, n: usize) -> Vec<u32> {
        let mut order: Vec<u32> = (0..n as u32).collect();
        for at in (1..n).rev() {
            let other = (self.next() % (at as u64 + 1)) as usize;
            order.swap(at, other);
        }
        order
    }
}

/// Weighted, undirected, each edge in both rows; a node standing for an aggregate holds the
/// weight inside it as a loop (its edges counted from both ends).
struct Graph {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    /// The sum of each row, loop included.
    degree: Vec<f64>,
    /// The sum of all degrees: twice the edges' weight.
    total: f64,
}

impl Graph {
    /// From simple edges between `nodes` positions, each of weight 1.
    fn simple(nodes: usize, edges: &[(usize, usize)]) -> Self {
        let mut count = vec![0_usize; nodes + 1];
        for &(a, b) in edges {
            count[a + 1] += 1;
            count[b + 1] += 1;
        }
        for at in 1..=nodes {
            count[at] += count[at - 1];
        }
        let offsets = count.clone();
        let mut next = count;
        let mut targets = vec![0_u32; offsets[nodes]];
        for &(a, b) in edges {
            targets[next[a]] = b as u32;
            next[a] += 1;
            targets[next[b]] = a as u32;
            next[b] += 1;
        }
        let degree = (0..nodes).map(|v| (offsets[v + 1] - offsets[v]) as f64).collect();
        Self {
            weights: vec![1.0; targets.len()],
            offsets,
            targets,
            degree,
            total: 2.0 * edges.len() as f64,
        }
    }

    fn len(&self) -> usize {
        self.degree.len()
    }

    fn row(&self, v: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let span = self.offsets[v]..self.offsets[v + 1];
        self.targets[span.clone()]
            .iter()
            .zip(&self.weights[span])
            .map(|(&u, &w)| (u as usize, w))
    }

    /// One node per group of `groups` (labels `0..count`), the weights between groups summed.
    fn aggregate(&self, groups: &[u32], count: usize) -> Self {
        // The members of each group, group after group (a counting sort).
        let mut starts = vec![0_usize; count + 1];
        for &group in groups {
            starts[group as usize + 1] += 1;
        }
        for at in 1..=count {
            starts[at] += starts[at - 1];
        }
        let mut members = vec![0_u32; groups.len()];
        let mut next = starts.clone();
        for (v, &group) in groups.iter().enumerate() {
            members[next[group as usize]] = v as u32;
            next[group as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.push(0);
        let (mut targets, mut weights) = (Vec::new(), Vec::new());
        let mut degree = Vec::with_capacity(count);
        let mut sums = Sums::new(count);
        for group in starts.windows(2).map(|span| &members[span[0]..span[1]]) {
            for &v in group {
                for (u, w) in self.row(v as usize) {
                    sums.add(groups[u] as usize, w);
                }
            }
            let mut row_degree = 0.0;
            for (to, w) in sums.drain() {
                targets.push(to as u32);
                weights.push(w);
                row_degree += w;
            }
            degree.push(row_degree);
            offsets.push(targets.len());
        }
        Self {
            offsets,
            targets,
            weights,
            degree,
            total: self.total,
        }
    }
}

/// Weights summed by label, in the order the labels were first met, cleared by `drain`.
struct Sums {
    weight: Vec<f64>,
    met: Vec<bool>,
    order: Vec<usize>,
}

impl Sums {
    fn new(labels: usize) -> Self {
        Self {
            weight: vec![0.0; labels],
            met: vec![false; labels],
            order: Vec::new(),
        }
    }

    fn add(&mut self, label: usize, w: f64) {
        if !self.met[label] {
            self.met[label] = true;
            self.order.push(label);
        }
        self.weight[label] += w;
    }

    fn get(&self, label: usize) -> f64 {
        self.weight[label]
    }

    fn labels(&self) -> &[usize] {
        &self.order
    }

    fn drain(&mut self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.order.drain(..).map(|label| {
            self.met[label] = false;
            (label, std::mem::take(&mut self.weight[label]))
        })
    }

    fn clear(&mut self) {
        self.drain().for_each(drop);
    }
}

/// A community label for each of `nodes` positions (`0..count`, in order of first appearance),
/// starting from the partition `start` (each node alone without one). `None` without edges.
pub(super) fn leiden(
    nodes: usize,
    edges: &[(usize, usize)],
    resolution: f64,
    seed: u64,
    start: Option<&[usize]>,
) -> Option<Vec<usize>> {
    if edges.is_empty() {
        return None;
    }
    let mut rng = Shuffler(seed);
    let mut graph = Graph::simple(nodes, edges);
    let mut partition: Vec<u32> = match start {
        Some(start) => renumbered(start.iter().map(|&c| c as u32)).0,
        None => (0..nodes as u32).collect(),
    };
    // The aggregate node each original node is in.
    let mut flat: Vec<u32> = (0..nodes as u32).collect();
    loop {
        move_nodes(&graph, &mut partition, resolution, &mut rng);
        let (communities, count) = renumbered(partition.iter().copied());
        partition = communities;
        if count == graph.len() {
            break;
        }
        let (refined, parts) = renumbered(refine(&graph, &partition, resolution, &mut rng).into_iter());
        // A refinement that merged nothing would aggregate nothing: aggregate by the
        // communities themselves then (a Louvain step), so that every level shrinks the graph.
        let (groups, groups_count) = if parts == graph.len() {
            (partition.clone(), count)
        } else {
            (refined, parts)
        };
        let mut next_partition = vec![0_u32; groups_count];
        for (v, &group) in groups.iter().enumerate() {
            next_partition[group as usize] = partition[v];
        }
        for node in &mut flat {
            *node = groups[*node as usize];
        }
        graph = graph.aggregate(&groups, groups_count);
        partition = next_partition;
    }
    let (groups, _) = renumbered(flat.iter().map(|&node| partition[node as usize]));
    Some(groups.into_iter().map(|group| group as usize).collect())
}

/// Labels renumbered `0..count` in order of first appearance, and `count`.
fn renumbered(labels: impl Iterator<Item = u32>) -> (Vec<u32>, usize) {
    let mut names: Vec<u32> = Vec::new();
    let mut count = 0;
    let renamed = labels
        .map(|label| {
            let label = label as usize;
            if label >= names.len() {
                names.resize(label + 1, u32::MAX);
            }
            if names[label] == u32::MAX {
                names[label] = count;
                count += 1;
            }
            names[label]
        })
        .collect();
    (renamed, count as usize)
}

/// What moving a node of degree `k` into a community of total degree `total`, to which it has
/// edges of weight `w`, adds to the modularity (times `graph.total`, a constant).
fn gain(w: f64, k: f64, total: f64, resolution: f64, graph_total: f64) -> f64 {
    w - resolution * k * total / graph_total
}

/// Leiden's fast local moving: each node, visited from a queue in a random order, moves to the
/// neighbouring community (or an empty one) where it adds the most modularity; the neighbours a
/// move concerns are queued again.
fn move_nodes(graph: &Graph, partition: &mut [u32], resolution: f64, rng: &mut Shuffler) {
    let n = graph.len();
    let mut total = vec![0.0; n];
    let mut size = vec![0_u32; n];
    for v in 0..n {
        total[partition[v] as usize] += graph.degree[v];
        size[partition[v] as usize] += 1;
    }
    let mut empty: Vec<u32> = (0..n as u32).filter(|&c| size[c as usize] == 0).collect();
    let mut queue: VecDeque<u32> = rng.order(n).into();
    let mut queued = vec![true; n];
    let mut sums = Sums::new(n);
    while let Some(v) = queue.pop_front() {
        let v = v as usize;
        queued[v] = false;
        let (current, k) = (partition[v] as usize, graph.degree[v]);
        sums.add(current, 0.0);
        for (u, w) in graph.row(v) {
            if u != v {
                sums.add(partition[u] as usize, w);
            }
        }
        total[current] -= k;
        size[current] -= 1;
        let mut best = current;
        let mut best_gain = gain(sums.get(current), k, total[current], resolution, graph.total);
        for &c in sums.labels() {
            let candidate = gain(sums.get(c), k, total[c], resolution, graph.total);
            if candidate > best_gain {
                (best, best_gain) = (c, candidate);
            }
        }
        if best_gain < 0.0
            && size[current] > 0
            && let Some(alone) = empty.pop()
        {
            best = alone as usize;
        }
        sums.clear();
        total[best] += k;
        size[best] += 1;
        if size[current] == 0 {
            empty.push(current as u32);
        }
        if best != current {
            partition[v] = best as u32;
            for (u, _) in graph.row(v) {
                if u != v && !queued[u] && partition[u] as usize != best {
                    queued[u] = true;
                    queue.push_back(u as u32);
                }
            }
        }
    }
}

/// Leiden's refinement: within each community, nodes still alone (visited in a random order)
/// merge into the part of their community where they add the most modularity, if that is more
/// than nothing and both are well connected to the rest of the community.
fn refine(graph: &Graph, partition: &[u32], resolution: f64, rng: &mut Shuffler) -> Vec<u32> {
    let n = graph.len();
    let mut refined: Vec<u32> = (0..n as u32).collect();
    let mut part_total = graph.degree.clone();
    let mut part_size = vec![1_u32; n];
    let mut community_total = vec![0.0; n];
    for v in 0..n {
        community_total[partition[v] as usize] += graph.degree[v];
    }
    // The weight from each part to the rest of its community (a part is one node at first).
    let mut outside: Vec<f64> = (0..n)
        .map(|v| {
            graph
                .row(v)
                .filter(|&(u, _)| u != v && partition[u] == partition[v])
                .map(|(_, w)| w)
                .sum()
        })
        .collect();
    let well_connected =
        |outside: f64, total: f64, community: f64| outside >= resolution * total * (community - total) / graph.total;
    let mut sums = Sums::new(n);
    for v in rng.order(n) {
        let v = v as usize;
        let own = refined[v] as usize;
        let (k, community) = (graph.degree[v], community_total[partition[v] as usize]);
        if part_size[own] > 1 || !well_connected(outside[v], k, community) {
            continue;
        }
        for (u, w) in graph.row(v) {
            if u != v && partition[u] == partition[v] {
                sums.add(refined[u] as usize, w);
            }
        }
        let (mut best, mut best_gain, mut best_weight) = (own, 0.0, 0.0);
        for &part in sums.labels() {
            if part == own || !well_connected(outside[part], part_total[part], community) {
                continue;
            }
            let candidate = gain(sums.get(part), k, part_total[part], resolution, graph.total);
            if candidate > best_gain {
                (best, best_gain, best_weight) = (part, candidate, sums.get(part));
            }
        }
        sums.clear();
        if best != own {
            refined[v] = best as u32;
            part_size[own] = 0;
            part_size[best] += 1;
            part_total[best] += k;
            outside[best] += outside[v] - 2.0 * best_weight;
        }
    }
    refined
}

#[cfg(test)]
mod tests {
    use super::leiden;
    use rand::{Rng, SeedableRng};

    /// Whether the nodes of each community are connected by edges inside it.
    fn connected(nodes: usize, edges: &[(usize, usize)], groups: &[usize]) -> bool {
        let mut root: Vec<usize> = (0..nodes).collect();
        fn find(root: &mut [usize], mut v: usize) -> usize {
            while root[v] != v {
                root[v] = root[root[v]];
                v = root[v];
            }
            v
        }
        for &(a, b) in edges.iter().filter(|&&(a, b)| groups[a] == groups[b]) {
            let (a, b) = (find(&mut root, a), find(&mut root, b));
            root[a] = b;
        }
        let mut component_of_group = std::collections::HashMap::new();
        (0..nodes).all(|v| {
            let component = find(&mut root, v);
            *component_of_group.entry(groups[v]).or_insert(component) == component
        })
    }

    #[test]
    fn every_community_is_connected_on_random_graphs() {
        // Louvain's known defect is a community in pieces; Leiden's refinement rules it out.
        for seed in 0..40 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let nodes = rng.random_range(2..400);
            let mut edges: Vec<(usize, usize)> = (0..nodes * rng.random_range(1..6))
                .map(|_| (rng.random_range(0..nodes), rng.random_range(0..nodes)))
                .filter(|(a, b)| a != b)
                .map(|(a, b)| (a.min(b), a.max(b)))
                .collect();
            edges.sort_unstable();
            edges.dedup();
            let Some(groups) = leiden(nodes, &edges, 1.0, seed, None) else {
                continue;
            };
            assert!(connected(nodes, &edges, &groups), "seed {seed}");
            let warm = leiden(nodes, &edges, 1.0, seed + 1, Some(&groups)).unwrap();
            assert!(connected(nodes, &edges, &warm), "seed {seed}, warm");
        }
    }

    #[test]
    fn two_cliques_joined_by_an_edge_are_two_communities_whatever_the_seed() {
        let mut edges = Vec::new();
        for clique in [0, 5] {
            for a in clique..clique + 5 {
                for b in a + 1..clique + 5 {
                    edges.push((a, b));
                }
            }
        }
        edges.push((4, 5));
        for seed in 0..20 {
            let groups = leiden(10, &edges, 1.0, seed, None).unwrap();
            assert!(groups[..5].iter().all(|&g| g == groups[0]), "{seed}: {groups:?}");
            assert!(groups[5..].iter().all(|&g| g == groups[5]), "{seed}: {groups:?}");
            assert_ne!(groups[0], groups[5]);
            let again = leiden(10, &edges, 1.0, seed, Some(&groups)).unwrap();
            assert_eq!(again, groups, "a warm start from the best partition keeps it");
        }
        assert_eq!(leiden(3, &[], 1.0, 1, None), None);
    }
}
