//! The research instruments on a catalog the size of a large dataset, without HTTP or the store:
//! an `entities` list in a centrality order (what a page of `orderBy` costs before it is sliced),
//! facets over every entity, and `communities` once (it is then served from the catalog's cache).
//!
//!   cargo bench --bench research                                  (100k entities, 500k relations)
//!   GOVGRAPH_BENCH_NODES=1000000 cargo bench --bench research     (1M / 5M)
#![allow(
    clippy::unwrap_used,
    reason = "a benchmark, like a test, may stop at a broken assumption"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use govgraph::config::Limits;
use govgraph::model::{EntityKind, EntitySummary, Openness, PartialDate, RelationKind, RelationSummary};
use govgraph::services::catalog::Catalog;
use govgraph::services::explore::Centrality;
use govgraph::services::listing::{EntityFilter, EntityOrder, OrderKey};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

mod shared;
use shared::{KINDS, nodes};
use std::time::Instant;

/// `nodes` entities and about 5 relations each, one end drawn from a few hundred hubs half the
/// time (the shape `govgraph generate` draws), the other uniformly.
fn catalog(nodes: usize) -> Catalog {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let entities: Vec<EntitySummary> = (0..nodes)
        .map(|i| EntitySummary {
            id: format!("entity-{i:07}"),
            kind: KINDS[i % KINDS.len()],
            openness: Some(if rng.random_bool(0.6) {
                Openness::Open
            } else {
                Openness::Closed
            }),
            start: rng.random_bool(0.8).then(|| PartialDate {
                year: rng.random_range(1990..2027),
                month: Some(rng.random_range(1..13)),
                day: None,
            }),
            end: None,
            ongoing: false,
            label: format!("Entity {}", rng.random_range(0..u32::MAX)),
            aliases: Vec::new(),
            description: None,
        })
        .collect();
    let hubs = (nodes / 1_000).max(10);
    let relations: Vec<RelationSummary> = (0..nodes * 5)
        .filter_map(|r| {
            let source = rng.random_range(0..nodes);
            let target = if rng.random_bool(0.5) {
                rng.random_range(0..hubs)
            } else {
                rng.random_range(0..nodes)
            };
            (source != target).then(|| RelationSummary {
                id: format!("r{r}"),
                source: entities[source].id.clone(),
                target: entities[target].id.clone(),
                predicate: "https://w3id.org/govgraph/ns#references".to_owned(),
                kind: RelationKind::Direct,
                evidence_type: None,
                confidence: None,
                documents: Vec::new(),
            })
        })
        .collect();
    Catalog::build(entities, &relations, &[], "bench".to_owned())
}

fn research(c: &mut Criterion) {
    let size = nodes();
    let started = Instant::now();
    let catalog = catalog(size);
    println!(
        "{} entities, {} relations, built in {:?}",
        catalog.entity_count(),
        catalog.projection.edge_count(),
        started.elapsed()
    );
    // Communities once, as the first request asks for them (later ones hit the cache).
    let started = Instant::now();
    let report = catalog
        .communities(1.0, 1, None, None, None, &Limits::default())
        .unwrap();
    println!(
        "communities/{size}: {} communities, modularity {:.4}, first computed in {:?}",
        report.communities.len(),
        report.modularity,
        started.elapsed()
    );
    let started = Instant::now();
    black_box(
        catalog
            .communities(1.0, 1, None, None, None, &Limits::default())
            .unwrap(),
    );
    println!("communities/{size}: again, from the cache, in {:?}", started.elapsed());

    let ordered = |key: OrderKey| EntityFilter {
        order: Some(EntityOrder { key, descending: true }),
        ..EntityFilter::default()
    };
    let orders = [
        ("pagerank", OrderKey::Score(Centrality::PageRank)),
        ("degree", OrderKey::Score(Centrality::Degree)),
        ("start_date", OrderKey::StartDate),
        ("label", OrderKey::Label),
    ];
    // PageRank is computed once per catalog, like the API's: warm it before timing the orders.
    black_box(catalog.pagerank());
    // Each order is sorted on its first request to a catalog (after a write, the next one's).
    for (name, key) in orders {
        let started = Instant::now();
        black_box(catalog.list(&ordered(key)));
        println!(
            "order {name}/{size}: sorted on first request in {:?}",
            started.elapsed()
        );
    }

    let mut group = c.benchmark_group("research");
    group.sample_size(10);
    // What `entities(orderBy:, first: 50)` does besides reading the page's entities: the list,
    // then the page's ids.
    let page = |filter: &EntityFilter| -> Vec<String> {
        let nodes = catalog.list(filter);
        nodes
            .iter()
            .take(50)
            .map(|&node| catalog.projection.node_id(node).to_owned())
            .collect()
    };
    for (name, key) in orders {
        let filter = ordered(key);
        group.bench_function(format!("entities_page_by_{name}/{size}"), |b| {
            b.iter(|| black_box(page(&filter)))
        });
    }
    // The same with a filter that keeps about a quarter of the entities.
    let meetings = EntityFilter {
        kind: Some(EntityKind::Meeting),
        ..ordered(OrderKey::Label)
    };
    group.bench_function(format!("entities_page_meetings_by_label/{size}"), |b| {
        b.iter(|| black_box(page(&meetings)))
    });
    let every = catalog.list(&EntityFilter::default());
    group.bench_function(format!("facets_all/{size}"), |b| {
        b.iter(|| black_box(catalog.facets(&every)))
    });
    let some = catalog.list(&meetings);
    group.bench_function(format!("facets_meetings/{size}"), |b| {
        b.iter(|| black_box(catalog.facets(&some)))
    });
    group.finish();
}

criterion_group!(benches, research);
criterion_main!(benches);
