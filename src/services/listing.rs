//! The `entities` listing: its filters, its orders (kept per catalog, and per base for what an
//! entity says, so that a page of a large listing is a filter and a slice) and its facets.

use super::catalog::Catalog;
use super::explore::{Centrality, QueryError, Window};
use super::packed::Summary;
use crate::graph::NodeIndex;
use crate::model::{EntityKind, Openness, PartialDate};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

impl Catalog {
    /// Entities by filters, as this catalog's nodes: search results in rank order, or everything
    /// by label, unless `order` says otherwise (ties by id). With a date window, undated entities
    /// are left out unless the window includes them; with a year range, undated ones are left
    /// out. Without filters, the catalog's cached order itself (no copy).
    pub fn list(&self, filter: &EntityFilter) -> Arc<[NodeIndex]> {
        // From the projection's node data (an array), not the summaries.
        let keep = |node: NodeIndex| {
            let data = self.projection.node_data(node);
            filter.kind.is_none_or(|kind| data.kind == kind)
                && filter.kinds.as_ref().is_none_or(|kinds| kinds.contains(&data.kind))
                && filter.openness.is_none_or(|openness| data.openness == Some(openness))
                && filter.between.is_none_or(|window| window.keeps(data.span()))
                && filter
                    .years
                    .is_none_or(|years| years.keeps(data.start.map(|start| crate::model::year_of_day(start.earliest))))
                && filter
                    .within
                    .as_ref()
                    .is_none_or(|within| within.contains(self.projection.node_id(node)))
        };
        let searched = filter.search.as_deref().map(str::trim).filter(|text| !text.is_empty());
        let found = searched.map(|text| {
            self.search(text)
                .into_iter()
                .filter_map(|(id, _)| self.projection.node(&id))
                .collect::<Vec<_>>()
        });
        let order = match (found, filter.order) {
            (Some(found), None) => return found.into_iter().filter(|&node| keep(node)).collect(),
            (Some(found), Some(order)) => {
                let marked = self.marks(&found);
                let ordered = self.order(order);
                return ordered
                    .iter()
                    .copied()
                    .filter(|&node| marked[node.index()] && keep(node))
                    .collect();
            }
            (None, order) => self.order(order.unwrap_or_default()),
        };
        let unfiltered = filter.kind.is_none()
            && filter.kinds.is_none()
            && filter.openness.is_none()
            && filter.between.is_none()
            && filter.years.is_none()
            && filter.within.is_none();
        if unfiltered {
            return order;
        }
        // Which nodes pass, read in node order (the node data sequentially), then the order kept
        // to those: the order visits the nodes in no order the memory likes.
        let passes: Vec<bool> = (0..self.projection.node_bound())
            .map(|at| {
                let node = NodeIndex::new(at);
                self.projection.contains(node) && keep(node)
            })
            .collect();
        order.iter().copied().filter(|&node| passes[node.index()]).collect()
    }

    /// Which node positions `nodes` holds, indexed by node.
    fn marks(&self, nodes: &[NodeIndex]) -> Vec<bool> {
        let mut marked = vec![false; self.projection.node_bound()];
        for node in nodes {
            marked[node.index()] = true;
        }
        marked
    }

    /// Every entity in `order`, ties by id (ascending whichever the direction), kept per catalog.
    /// Orders by what an entity says (label, start date) are the base's order with the entities
    /// changed since merged in; orders by a score are sorted once per catalog.
    pub fn order(&self, order: EntityOrder) -> Arc<[NodeIndex]> {
        use std::cmp::Reverse;
        let name = format!("{order:?}");
        // The first day of the start; undated last in both directions.
        let start = |entity: &Summary<'_>| entity.start().map(|date| date.day_range().earliest);
        self.order_cached(name.clone(), || match (order.key, order.descending) {
            (OrderKey::Label, false) => self.by_entity(&name, |entity| crate::model::fold(entity.label())),
            (OrderKey::Label, true) => self.by_entity(&name, |entity| Reverse(crate::model::fold(entity.label()))),
            (OrderKey::StartDate, false) => self.by_entity(&name, |entity| {
                let start = start(entity);
                (start.is_none(), start)
            }),
            (OrderKey::StartDate, true) => self.by_entity(&name, |entity| {
                let start = start(entity);
                (start.is_none(), Reverse(start))
            }),
            (OrderKey::Score(metric), descending) => {
                let scores = self.scores(&self.projection, metric);
                let score = |node: NodeIndex| scores.get(node.index()).copied().unwrap_or(0.0);
                let mut keyed: Vec<(f64, _, NodeIndex)> = self
                    .projection
                    .nodes()
                    .map(|node| (score(node), self.projection.rank(node), node))
                    .collect();
                keyed.sort_unstable_by(|a, b| {
                    let by_score = a.0.total_cmp(&b.0);
                    if descending { by_score.reverse() } else { by_score }.then_with(|| a.1.cmp(&b.1))
                });
                keyed.into_iter().map(|(.., node)| node).collect()
            }
        })
    }

    /// Every entity by `key` of its summary, ties by id: the base's order (see
    /// `Catalog::base_order`) less what changed since, with the changed entities merged in.
    fn by_entity<K: Ord>(&self, name: &str, key: impl Fn(&Summary<'_>) -> K) -> Arc<[NodeIndex]> {
        let base = self.base_order(name, &key);
        let rank = |node: NodeIndex| self.projection.rank(node);
        let kept: Vec<NodeIndex> = base
            .iter()
            .copied()
            .filter(|&node| self.base_current_node(node))
            .collect();
        let mut changed: Vec<(K, _, NodeIndex)> = self
            .changed_entities()
            .map(|node| (key(&self.entity(node)), rank(node), node))
            .collect();
        if changed.is_empty() && kept.len() == base.len() {
            return base;
        }
        changed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let mut merged = Vec::with_capacity(kept.len() + changed.len());
        let mut rest = &kept[..];
        for (changed_key, changed_rank, node) in changed {
            let before = rest.partition_point(|&kept| {
                key(&self.entity(kept))
                    .cmp(&changed_key)
                    .then_with(|| rank(kept).cmp(&changed_rank))
                    .is_lt()
            });
            merged.extend_from_slice(&rest[..before]);
            rest = &rest[before..];
            merged.push(node);
        }
        merged.extend_from_slice(rest);
        merged.into()
    }

    /// Counts of `nodes` (entities of this catalog) by kind, openness and start year (undated
    /// ones in no year).
    pub fn facets(&self, nodes: &[NodeIndex]) -> Facets {
        // Counted in arrays by the enums' order (unrated openness first), then named.
        let mut by_kind = [0_usize; EntityKind::ALL.len()];
        let mut by_openness = [0_usize; 1 + Openness::ALL.len()];
        let mut by_year: BTreeMap<i32, usize> = BTreeMap::new();
        // From the projection's node data (an array), not the summaries.
        let mut count = |node: NodeIndex| {
            let data = self.projection.node_data(node);
            by_kind[data.kind as usize] += 1;
            by_openness[data.openness.map_or(0, |openness| 1 + openness as usize)] += 1;
            if let Some(start) = data.start {
                *by_year.entry(crate::model::year_of_day(start.earliest)).or_default() += 1;
            }
        };
        // A large listing is counted in node order (the node data read sequentially), as the
        // order it comes in jumps around the memory.
        if nodes.len() * 8 > self.projection.node_bound() {
            self.marks(nodes)
                .iter()
                .enumerate()
                .filter(|&(_, &listed)| listed)
                .for_each(|(at, _)| count(NodeIndex::new(at)));
        } else {
            nodes.iter().copied().for_each(count);
        }
        let openness = std::iter::once(None).chain(Openness::ALL.iter().copied().map(Some));
        Facets {
            by_kind: EntityKind::ALL
                .iter()
                .copied()
                .zip(by_kind)
                .filter(|&(_, count)| count > 0)
                .collect(),
            by_openness: openness.zip(by_openness).filter(|&(_, count)| count > 0).collect(),
            by_year,
        }
    }
}

/// Filters of the `entities` listing, and its order.
#[derive(Clone, Debug, Default)]
pub struct EntityFilter {
    pub kind: Option<EntityKind>,
    /// Entities of any of these kinds.
    pub kinds: Option<Vec<EntityKind>>,
    pub openness: Option<Openness>,
    pub search: Option<String>,
    pub between: Option<Window>,
    /// Only dated entities whose start year is in the range.
    pub years: Option<YearRange>,
    /// Only these ids: what filters read from the store (location, source) keep.
    pub within: Option<HashSet<String>>,
    /// Search rank (with a search) or label order when absent.
    pub order: Option<EntityOrder>,
}

/// An inclusive range of start years; either end may be open. An undated entity is outside it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YearRange {
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl YearRange {
    /// Reads `from`/`to` as years (`YYYY`; a fuller ISO date counts by its year); `None` when
    /// neither is given.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Option<Self>, QueryError> {
        let year = |text: Option<&str>, field: &'static str| {
            text.map(|text| {
                text.trim()
                    .parse::<PartialDate>()
                    .map(|date| date.year)
                    .map_err(|message| QueryError::BadInput { field, message })
            })
            .transpose()
        };
        let range = Self {
            from: year(from, "from")?,
            to: year(to, "to")?,
        };
        if let (Some(from), Some(to)) = (range.from, range.to)
            && to < from
        {
            return Err(QueryError::BadInput {
                field: "to",
                message: format!("`to` ({to}) is before `from` ({from})"),
            });
        }
        Ok((range.from.is_some() || range.to.is_some()).then_some(range))
    }

    /// Whether an entity starting in `year` (`None`: undated) is in the range.
    fn keeps(&self, year: Option<i32>) -> bool {
        year.is_some_and(|year| self.from.is_none_or(|from| year >= from) && self.to.is_none_or(|to| year <= to))
    }
}

/// What the `entities` listing is ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderKey {
    /// The label, ignoring case and accents.
    Label,
    /// The first day of the start (or issue) date; undated entities last either way.
    StartDate,
    /// A whole-graph centrality score.
    Score(Centrality),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntityOrder {
    pub key: OrderKey,
    pub descending: bool,
}

impl Default for EntityOrder {
    fn default() -> Self {
        Self {
            key: OrderKey::Label,
            descending: false,
        }
    }
}

/// Counts over a listing's entities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facets {
    pub by_kind: BTreeMap<EntityKind, usize>,
    pub by_openness: BTreeMap<Option<Openness>, usize>,
    pub by_year: BTreeMap<i32, usize>,
}

/// The entities a listing kept, as nodes of the catalog that listed them: a write meanwhile
/// moves the server to another catalog, whose nodes these are not.
#[derive(Clone)]
pub struct Listing {
    catalog: Arc<Catalog>,
    nodes: Arc<[NodeIndex]>,
}

impl Listing {
    /// `nodes` as `catalog` listed them.
    pub fn new(catalog: Arc<Catalog>, nodes: Arc<[NodeIndex]>) -> Self {
        Self { catalog, nodes }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The ids of the entities at `range` of the listing (clamped to it).
    pub fn ids(&self, range: std::ops::Range<usize>) -> Vec<String> {
        let end = range.end.min(self.nodes.len());
        let start = range.start.min(end);
        self.nodes[start..end]
            .iter()
            .map(|&node| self.catalog.projection.node_id(node).to_owned())
            .collect()
    }

    pub fn facets(&self) -> Facets {
        self.catalog.facets(&self.nodes)
    }

    /// How many of `pairs` (an entity id and a value) name a listed entity, by value.
    pub fn count_by<V: Ord>(&self, pairs: impl IntoIterator<Item = (String, V)>) -> BTreeMap<V, usize> {
        let projection = &self.catalog.projection;
        let listed = self.catalog.marks(&self.nodes);
        let mut counts = BTreeMap::new();
        for (id, value) in pairs {
            if projection.node(&id).is_some_and(|node| listed[node.index()]) {
                *counts.entry(value).or_default() += 1;
            }
        }
        counts
    }
}
