//! The filters every query shares, and the rule that makes a path respect time.
//!
//! # Time-respecting paths
//!
//! With `temporal`, a path is valid only if no dated node on it is *definitely before* a dated
//! node that comes earlier on the path: for dated nodes `p` before `n` (the date of a node being
//! its start, or its end when it has no start), `n.latest < p.earliest` is forbidden. Partial
//! dates are intervals, so "2014" after "2014-05" is allowed. Undated nodes are allowed anywhere.
//!
//! The rule compares each dated node with *every* earlier one, not only with the previous dated
//! one. With partial dates the two differ: "2014-05", "2014", "2014-02" passes a check against the
//! previous date only, although February is definitely before May. Comparing with every earlier
//! node also keeps the searches exact: the state a search carries (the latest `earliest` day seen
//! so far) then only grows along a path, so a shorter path to a node with an earlier-or-equal state
//! can replace any longer one, and a shortest time-respecting walk never repeats a node (cutting
//! out the loop leaves a walk whose states are no later, hence still valid). Checking the previous
//! date only would let a walk loop through a vague date to "reset" its state, and the shortest
//! time-respecting walk could then repeat nodes.

use crate::model::{DayRange, EvidenceType, Openness, RelationKind};

use super::{EdgeData, NodeData};

/// The state of a time-respecting search before it has met a dated node.
pub(crate) const NO_DATE: i32 = i32::MIN;

/// A range of days since 1970-01-01, both ends included; a missing end is unbounded. The window
/// also decides about undated entities, which no range of days can place: they pass only when
/// `undated` says so.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayWindow {
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// Whether entities without a date pass.
    pub undated: bool,
}

impl DayWindow {
    /// Whether the window and the range share a day.
    pub fn overlaps(&self, range: DayRange) -> bool {
        self.from.is_none_or(|from| range.latest >= from) && self.to.is_none_or(|to| range.earliest <= to)
    }

    /// Whether an entity with this span (see [`NodeData::span`]; `None` when undated) meets the
    /// window: the one rule for windows on the graph, timelines and entity lists.
    pub fn passes(&self, span: Option<DayRange>) -> bool {
        span.map_or(self.undated, |span| self.overlaps(span))
    }
}

/// Which way a search may walk a relation. A relation whose predicate is symmetric (see
/// [`super::ProjectionBuilder::symmetric`]) may always be walked either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From its source to its target.
    Out,
    /// From its target to its source: what led to the start.
    In,
    /// Either way.
    #[default]
    Both,
}

/// Restricts which nodes and relations a query may use, and how.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Which way relations may be walked.
    pub direction: Direction,
    /// Keep only relations of these kinds.
    pub kinds: Option<Vec<RelationKind>>,
    /// Keep only relations with these predicates (indices into the predicate table), sorted.
    pub predicates: Option<Vec<u16>>,
    /// Keep only relations with one of these evidence types (none stated fails).
    pub evidence: Option<Vec<EvidenceType>>,
    /// Keep only relations at least this confident, in ten-thousandths (see
    /// [`super::confidence`]).
    pub min_confidence: Option<u16>,
    /// Keep only relations whose document set is one of these, sorted (the sets citing a source).
    pub document_sets: Option<Vec<u32>>,
    /// Every node used (endpoints included) has exactly this openness; nodes without one fail.
    pub openness: Option<Openness>,
    /// A node passes if its [`NodeData::span`] overlaps the window, or if it is undated and the
    /// window lets undated nodes pass.
    pub window: Option<DayWindow>,
    /// Paths must respect time (see the module documentation).
    pub temporal: bool,
    /// A path has at most this many relations.
    pub max_hops: Option<usize>,
}

impl Filter {
    /// Whether a path or neighbourhood may use this node.
    pub fn node_passes(&self, node: &NodeData) -> bool {
        let openness = self.openness.is_none_or(|wanted| node.openness == Some(wanted));
        let window = self.window.is_none_or(|window| window.passes(node.span()));
        openness && window
    }

    /// Whether every node and relation passes (searches then skip the checks).
    pub fn passes_everything(&self) -> bool {
        self.kinds.is_none()
            && self.predicates.is_none()
            && self.evidence.is_none()
            && self.min_confidence.is_none()
            && self.document_sets.is_none()
            && self.openness.is_none()
            && self.window.is_none()
    }

    /// Whether a path or neighbourhood may use this relation.
    pub fn edge_passes(&self, edge: &EdgeData) -> bool {
        self.kinds.as_ref().is_none_or(|kinds| kinds.contains(&edge.kind))
            && self
                .predicates
                .as_ref()
                .is_none_or(|predicates| predicates.binary_search(&edge.predicate).is_ok())
            && self
                .evidence
                .as_ref()
                .is_none_or(|evidence| edge.evidence.is_some_and(|stated| evidence.contains(&stated)))
            && self.min_confidence.is_none_or(|least| edge.confidence >= least)
            && self
                .document_sets
                .as_ref()
                .is_none_or(|sets| sets.binary_search(&edge.documents).is_ok())
    }

    /// The search state after stepping onto `node` in state `last` (the latest `earliest` day of
    /// the dated nodes met so far, [`NO_DATE`] before any), or `None` if the node is definitely
    /// before one of them. Without `temporal` the state never changes. Stepping twice onto the
    /// same node gives the same state as once, so a search may re-apply its start node.
    pub(crate) fn advance(&self, last: i32, node: &NodeData) -> Option<i32> {
        if !self.temporal {
            return Some(last);
        }
        match node.ordering_date() {
            None => Some(last),
            Some(date) if date.latest < last => None,
            Some(date) => Some(last.max(date.earliest)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::oracle::{on, plain};
    use crate::model::PartialDate;

    fn day(date: &str) -> i32 {
        date.parse::<PartialDate>().unwrap().day_range().earliest
    }

    #[test]
    fn nodes_pass_on_openness_and_window() {
        let open = Filter {
            openness: Some(Openness::Open),
            ..Filter::default()
        };
        assert!(open.node_passes(&plain()));
        assert!(!open.node_passes(&NodeData {
            openness: None,
            ..plain()
        }));
        assert!(!open.node_passes(&NodeData {
            openness: Some(Openness::Closed),
            ..plain()
        }));

        let window = Filter {
            window: Some(DayWindow {
                from: Some(day("2014-03-01")),
                to: None,
                undated: true,
            }),
            ..Filter::default()
        };
        assert!(
            window.node_passes(&plain()),
            "undated nodes pass when the window says so"
        );
        assert!(window.node_passes(&on("2014")), "2014 overlaps March 2014 onwards");
        assert!(!window.node_passes(&on("2014-02")));
        let ended = NodeData {
            end: on("2015").start,
            ..on("2010")
        };
        assert!(window.node_passes(&ended), "a span reaching into the window passes");
        let end_only = NodeData {
            start: None,
            end: on("2014-02-28").start,
            ..plain()
        };
        assert!(!window.node_passes(&end_only));
    }

    #[test]
    fn a_window_leaves_undated_nodes_out_unless_asked() {
        let window = |undated| Filter {
            window: Some(DayWindow {
                from: Some(day("2013-10-01")),
                to: Some(day("2014-04-30")),
                undated,
            }),
            ..Filter::default()
        };
        assert!(!window(false).node_passes(&plain()));
        assert!(window(true).node_passes(&plain()));
        assert!(window(false).node_passes(&on("2014-01")), "dated nodes are unaffected");
        assert!(!window(true).node_passes(&on("2015")), "dated nodes are unaffected");
        assert!(Filter::default().node_passes(&plain()), "no window, no date check");
    }

    #[test]
    fn an_ongoing_node_runs_on_from_its_start() {
        let window = |from: &str, to: &str| Filter {
            window: Some(DayWindow {
                from: Some(day(from)),
                to: Some(day(to)),
                undated: false,
            }),
            ..Filter::default()
        };
        let wgec = NodeData {
            ongoing: true,
            ..on("2013-03-22")
        };
        assert!(window("2013-10-01", "2014-04-30").node_passes(&wgec));
        assert!(window("2030-01-01", "2030-12-31").node_passes(&wgec), "no last day");
        assert!(
            !window("2013-01-01", "2013-03-21").node_passes(&wgec),
            "not before its start"
        );
        assert!(
            !window("2013-10-01", "2014-04-30").node_passes(&on("2013-03-22")),
            "the same node without the status is one day"
        );
        let ended = NodeData {
            end: on("2013-06").start,
            ..wgec
        };
        assert!(
            !window("2013-10-01", "2014-04-30").node_passes(&ended),
            "an end wins over the status"
        );
        let undated = NodeData {
            ongoing: true,
            ..plain()
        };
        assert!(
            !window("2013-10-01", "2014-04-30").node_passes(&undated),
            "ongoing but undated"
        );
    }

    #[test]
    fn edges_pass_on_kind_predicate_evidence_confidence_and_documents() {
        let edge = EdgeData {
            kind: RelationKind::Indirect,
            evidence: Some(EvidenceType::Inferred),
            predicate: 3,
            confidence: 6_000,
            documents: 7,
        };
        assert!(Filter::default().edge_passes(&edge));
        let passes = |filter: Filter| filter.edge_passes(&edge);
        assert!(!passes(Filter {
            kinds: Some(vec![RelationKind::Direct]),
            ..Filter::default()
        }));
        assert!(passes(Filter {
            predicates: Some(vec![1, 3]),
            ..Filter::default()
        }));
        assert!(!passes(Filter {
            predicates: Some(vec![1, 2]),
            ..Filter::default()
        }));
        assert!(!passes(Filter {
            evidence: Some(vec![EvidenceType::SeedQuote]),
            ..Filter::default()
        }));
        assert!(passes(Filter {
            evidence: Some(vec![EvidenceType::SeedQuote, EvidenceType::Inferred]),
            ..Filter::default()
        }));
        let unstated = EdgeData { evidence: None, ..edge };
        assert!(
            !Filter {
                evidence: Some(EvidenceType::ALL.to_vec()),
                ..Filter::default()
            }
            .edge_passes(&unstated)
        );
        assert!(passes(Filter {
            min_confidence: Some(6_000),
            ..Filter::default()
        }));
        assert!(!passes(Filter {
            min_confidence: Some(6_001),
            ..Filter::default()
        }));
        assert!(passes(Filter {
            document_sets: Some(vec![2, 7]),
            ..Filter::default()
        }));
        assert!(!passes(Filter {
            document_sets: Some(vec![]),
            ..Filter::default()
        }));
        assert!(
            !Filter {
                document_sets: Some(vec![]),
                ..Filter::default()
            }
            .passes_everything()
        );
    }

    #[test]
    fn advancing_forbids_only_what_is_definitely_before() {
        let temporal = Filter {
            temporal: true,
            ..Filter::default()
        };
        let may = temporal.advance(NO_DATE, &on("2014-05")).unwrap();
        assert_eq!(may, day("2014-05-01"));
        let year = temporal.advance(may, &on("2014")).unwrap();
        assert_eq!(year, may, "the state keeps the latest earliest day");
        assert_eq!(temporal.advance(year, &on("2014-02")), None);
        assert_eq!(temporal.advance(year, &plain()), Some(year));
        assert_eq!(
            temporal.advance(may, &on("2014-05")),
            Some(may),
            "stepping again changes nothing"
        );
        assert_eq!(Filter::default().advance(may, &on("2000")), Some(may));
    }
}
