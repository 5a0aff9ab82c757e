//! Times the shortest path between the pairs `bench/compare` drew, in process, on the graph it
//! generated (the directory `--keep` left): where the time of a path query goes, without HTTP.
//!
//!   cargo run --release --example path_pairs -- ~/bench1m [rounds]
//!
//! With `CATALOG=1` the pairs go through the server's own catalog (the store and snapshot in
//! `govgraph/`), as a request runs them; `PAUSE_US=n` then sleeps between paths, as a server
//! idles between requests (the pauses are not counted).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measuring aid stops at a broken assumption"
)]

use govgraph::config::Limits;
use govgraph::graph::{EdgeFacts, Filter, NodeData, ProjectionBuilder};
use govgraph::model::{EntityKind, RelationKind};
use govgraph::services::catalog::Catalog;
use govgraph::services::explore::PathQuery;
use govgraph::store::Store;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("the directory bench/compare --keep left"));
    let rounds: usize = args.next().map_or(5, |r| r.parse().expect("rounds"));
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect(name);
    if std::env::var_os("CATALOG").is_some() {
        return through_catalog(&dir, &read("pairs.tsv"), rounds);
    }
    let entities = read("entities.tsv");
    let mut ids: Vec<&str> = entities.lines().filter_map(|line| line.split('\t').next()).collect();
    ids.sort_unstable();
    let mut builder = ProjectionBuilder::new();
    let data = NodeData {
        kind: EntityKind::Document,
        openness: None,
        start: None,
        end: None,
        ongoing: false,
    };
    for id in &ids {
        builder.add_node(id, data);
    }
    let relations = read("relations.tsv");
    for line in relations.lines() {
        let mut fields = line.split('\t');
        let (id, source, target, predicate) = (
            fields.next().unwrap(),
            fields.next().unwrap(),
            fields.next().unwrap(),
            fields.next().unwrap(),
        );
        builder.add_edge(id, source, target, EdgeFacts::new(predicate, RelationKind::Direct));
    }
    let projection = builder.build();
    let pairs: Vec<_> = read("pairs.tsv")
        .lines()
        .map(|line| {
            let (from, to) = line.split_once('\t').unwrap();
            (projection.node(from).unwrap(), projection.node(to).unwrap())
        })
        .collect();
    let filter = Filter::default();
    let mut times = vec![Vec::new(); pairs.len()];
    let started = Instant::now();
    for _ in 0..rounds {
        for (i, &(from, to)) in pairs.iter().enumerate() {
            let began = Instant::now();
            let path = projection.shortest_path(from, to, &filter);
            times[i].push(began.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(path);
        }
    }
    let total = started.elapsed().as_secs_f64() * 1e3 / (rounds * pairs.len()) as f64;
    let mut best: Vec<(f64, usize)> = times
        .iter()
        .enumerate()
        .map(|(i, t)| (t.iter().copied().fold(f64::INFINITY, f64::min), i))
        .collect();
    let mean_best = best.iter().map(|b| b.0).sum::<f64>() / best.len() as f64;
    best.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("mean {total:.3} ms per path (mean of each pair's best {mean_best:.3} ms)");
    for &(ms, i) in best.iter().take(15) {
        let hops = projection
            .shortest_path(pairs[i].0, pairs[i].1, &filter)
            .map(|p| p.hops());
        println!("  pair {i:3}: {ms:.3} ms, {hops:?} hops");
    }
}

/// The same pairs through the server's own catalog (store and snapshot), as a request runs them.
fn through_catalog(dir: &std::path::Path, pairs: &str, rounds: usize) {
    let store = Store::open(&dir.join("govgraph")).unwrap();
    let catalog = Catalog::open(&store, Some(&dir.join("govgraph"))).unwrap().catalog;
    let limits = Limits::default();
    let queries: Vec<PathQuery> = pairs
        .lines()
        .map(|line| {
            let (from, to) = line.split_once('\t').unwrap();
            PathQuery {
                from: from.to_owned(),
                to: to.to_owned(),
                ..PathQuery::default()
            }
        })
        .collect();
    let pause = std::env::var("PAUSE_US")
        .ok()
        .map(|us| std::time::Duration::from_micros(us.parse().unwrap()));
    let started = Instant::now();
    let mut paused = std::time::Duration::ZERO;
    for _ in 0..rounds {
        for query in &queries {
            std::hint::black_box(catalog.path(query, &limits).unwrap());
            if let Some(pause) = pause {
                let slept = Instant::now();
                std::thread::sleep(pause);
                paused += slept.elapsed();
            }
        }
    }
    let mean = (started.elapsed() - paused).as_secs_f64() * 1e3 / (rounds * queries.len()) as f64;
    println!("through the catalog: mean {mean:.3} ms per path");
}
