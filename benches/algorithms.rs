//! The projection's algorithms on random graphs of the shape `govgraph generate` draws (a few
//! hubs, many leaves), without HTTP or the store: how much of a request the search itself costs.
//!
//!   cargo bench --bench algorithms                                  (100k entities, 500k relations)
//!   GOVGRAPH_BENCH_NODES=1000000 cargo bench --bench algorithms     (1M / 5M)
#![allow(
    clippy::unwrap_used,
    reason = "a benchmark, like a test, may stop at a broken assumption"
)]

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use govgraph::graph::{Direction, EdgeFacts, Filter, NodeData, NodeIndex, Parallel, Projection, ProjectionBuilder};
use govgraph::model::{DayRange, Openness, RelationKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

mod shared;
use shared::{KINDS, nodes};

const PREDICATES: [&str; 4] = [
    "https://w3id.org/govgraph/ns#organizes",
    "https://w3id.org/govgraph/ns#partOf",
    "https://w3id.org/govgraph/ns#precedes",
    "https://w3id.org/govgraph/ns#references",
];

/// `nodes` entities, about 5 relations each; endpoints drawn with Pareto weights (heavy tail).
fn random_projection(nodes: usize, seed: u64) -> Projection {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut builder = ProjectionBuilder::new();
    let mut cumulative = Vec::with_capacity(nodes);
    let mut total = 0.0;
    for i in 0..nodes {
        let day = rng.random_range(7_000..20_000);
        let data = NodeData {
            kind: KINDS[i % KINDS.len()],
            openness: Some(if rng.random_bool(0.6) {
                Openness::Open
            } else {
                Openness::Closed
            }),
            start: rng.random_bool(0.8).then_some(DayRange {
                earliest: day,
                latest: day,
            }),
            end: None,
            ongoing: false,
        };
        builder.add_node(&format!("entity-{i}"), data);
        total += 1.0 / (1.0 - rng.random::<f64>()).powf(1.0 / 1.5).min(1e6);
        cumulative.push(total);
    }
    let pick = |rng: &mut ChaCha8Rng| {
        let point = rng.random::<f64>() * total;
        cumulative.partition_point(|&c| c < point).min(nodes - 1)
    };
    for r in 0..nodes * 5 {
        let (source, target) = (pick(&mut rng), pick(&mut rng));
        let predicate = PREDICATES[r % PREDICATES.len()];
        let kind = if r % 7 == 0 {
            RelationKind::Indirect
        } else {
            RelationKind::Direct
        };
        builder.add_edge(
            &format!("relation-{r}"),
            &format!("entity-{source}"),
            &format!("entity-{target}"),
            EdgeFacts::new(predicate, kind),
        );
    }
    builder.build()
}

fn pairs(projection: &Projection, count: usize) -> Vec<(NodeIndex, NodeIndex)> {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let nodes: Vec<NodeIndex> = projection
        .nodes()
        .filter(|&n| projection.edges_of(n).next().is_some())
        .collect();
    (0..count)
        .map(|_| {
            (
                nodes[rng.random_range(0..nodes.len())],
                nodes[rng.random_range(0..nodes.len())],
            )
        })
        .collect()
}

fn algorithms(c: &mut Criterion) {
    let size = nodes();
    let projection = random_projection(size, 7);
    let pairs = pairs(&projection, 256);
    let label = |name: &str| format!("{name}/{size}");
    println!(
        "{} entities, {} relations, projection ≈ {} bytes ({} per relation)",
        projection.node_count(),
        projection.edge_count(),
        projection.approximate_bytes(),
        projection.approximate_bytes() / projection.edge_count().max(1)
    );
    let everything = Filter::default();
    let open_only = Filter {
        openness: Some(Openness::Open),
        ..Filter::default()
    };
    let temporal = Filter {
        temporal: true,
        direction: Direction::Out,
        ..Filter::default()
    };

    let mut group = c.benchmark_group("algorithms");
    for (name, filter) in [
        ("shortest_path", &everything),
        ("shortest_path_open", &open_only),
        ("shortest_path_temporal", &temporal),
    ] {
        let mut next = pairs.iter().cycle();
        group.bench_function(label(name), |b| {
            b.iter(|| {
                let &(from, to) = next.next().unwrap();
                black_box(projection.shortest_path(from, to, filter))
            })
        });
    }
    // Under its old name, the measure every earlier run took: each choice of relations a path.
    for (name, parallel) in [
        ("k_shortest_paths_10", Parallel::Expand),
        ("k_shortest_paths_10_folded", Parallel::Fold),
    ] {
        let mut next = pairs.iter().cycle();
        group.bench_function(label(name), |b| {
            b.iter(|| {
                let &(from, to) = next.next().unwrap();
                black_box(projection.k_shortest_paths(from, to, 10, &everything, parallel))
            })
        });
    }
    let mut next = pairs.iter().cycle();
    group.bench_function(label("neighbourhood_depth2_limit500"), |b| {
        b.iter(|| {
            let &(root, _) = next.next().unwrap();
            black_box(projection.neighbourhood(&[root], 2, &everything, 500))
        })
    });
    group.sample_size(10);
    group.bench_function(label("build_projection"), |b| {
        b.iter_batched(|| (), |()| random_projection(size / 10, 8), BatchSize::PerIteration)
    });
    group.finish();
}

criterion_group!(benches, algorithms);
criterion_main!(benches);
