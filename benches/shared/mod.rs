//! What the benchmarks share: the size they run at and the kinds their random entities take.

use govgraph::model::EntityKind;

/// The kinds random entities cycle through.
pub const KINDS: [EntityKind; 4] = [
    EntityKind::Meeting,
    EntityKind::Document,
    EntityKind::Organization,
    EntityKind::DiscussionSpace,
];

/// How many entities to generate: `GOVGRAPH_BENCH_NODES`, 100k without it.
pub fn nodes() -> usize {
    std::env::var("GOVGRAPH_BENCH_NODES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}
