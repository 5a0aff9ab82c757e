// The example queries a researcher starts from. Every one returns drawable entities
// (`id label kind openness startDate endDate`) and relations (`source`/`target` with the
// same fields, `kind` and `label`), so the graph view shows each of them.

// Fragments keep every line short enough to read whole in the editor's default width.
const FRAGMENTS = `
fragment Entity on Entity {
  id label kind openness
  startDate endDate
}

fragment Relation on Relation {
  id label kind
  source { ...Entity }
  target { ...Entity }
}
`;

// `layout`, when given, is the graph view's layout the example is drawn in.
export const EXAMPLES = [
  {
    id: 'montevideo',
    title: 'Path: Montevideo Statement → /1net → São Paulo',
    query: `# Every hop from the Montevideo
# Statement through /1net to the
# São Paulo meeting (NETmundial),
# with the sources of each hop.
{
  path(
    from: "Montevideo Statement"
    via: ["1Net"]
    to: "São Paulo meeting"
  ) {
    length
    nodes { ...Entity }
    relations {
      ...Relation
      sources { document quote }
    }
  }
}
${FRAGMENTS}`,
  },
  {
    id: 'netmundial',
    title: 'Neighbourhood of NETmundial (2 hops)',
    query: `# Everything within two relations of
# NETmundial (at most 80 entities).
{
  subgraph(
    roots: ["NETmundial"]
    depth: 2
    limit: 80
  ) {
    truncated
    nodes { ...Entity }
    relations { ...Relation }
  }
}
${FRAGMENTS}`,
  },
  {
    id: 'closed',
    title: 'Everything closed, with its relations',
    query: `# The closed (or partially closed)
# spaces and meetings, and every
# relation of each.
{
  entities(
    openness: CLOSED
    first: 200
  ) {
    totalCount
    edges {
      node {
        ...Entity
        opennessNote
        relations { ...Relation }
      }
    }
  }
}
${FRAGMENTS}`,
  },
  {
    id: 'icann-diagram',
    title: 'The ICANN diagram',
    layout: 'timeline',
    query: `# The ICANN diagram (early 2014):
# its 18 boxes (N01-N18) and the
# relations it states between them,
# drawn in its legend (shape = kind,
# colour = openness, solid = direct,
# dashed = indirect) on a timeline.
{
  subgraph(
    roots: [
      "montevideo-statement-2013"
      "onenet"
      "icann-ccwg-ig"
      "igf-2013-bali"
      "hlp-meeting-london-2013"
      "wsis10-mpp-2013-12"
      "hlp-davos-side-meeting-2014"
      "hlp-report-launch-2014"
      "hlp-meeting-sunnylands-2014"
      "wsis10-hle-final-brief-2014"
      "icann-49-singapore"
      "itu-wtdc-2014"
      "netmundial-2014"
      "foc-2014-tallinn"
      "hlp-meeting-dubai-2014"
      "igf-2014-istanbul"
      "itu-pp-2014"
      "cstd-wgec"
    ]
    depth: 0
    source: "icann-diagram-2014"
  ) {
    nodes { ...Entity }
    relations { ...Relation }
  }
}
${FRAGMENTS}`,
  },
  {
    id: 'search-sources',
    title: 'Search what the sources say',
    query: `# Where do the sources say
# "partnership between CGI"? Quotes
# rank beside names; each hit has a
# snippet and the relation or entity
# that rests on it.
{
  search(
    text: "partnership between CGI"
    first: 8
  ) {
    totalCount
    nodes {
      field
      snippet
      source { document }
      entity { ...Entity }
      relation { ...Relation }
    }
  }
}
${FRAGMENTS}`,
  },
  {
    id: 'timeline2014',
    title: 'Timeline of 2014',
    layout: 'timeline',
    query: `# What happened in 2014, in date
# order, with the relations of each
# entity.
{
  timeline(from: "2014", to: "2014") {
    ...Entity
    relations { ...Relation }
  }
}
${FRAGMENTS}`,
  },
  {
    id: 'connection',
    title: 'Explain a connection: /1net and NETmundial',
    query: `# How /1net and NETmundial are
# connected: the relations between
# them, direct or indirect, each
# with its evidence type, any
# inference reason, and its sources.
{
  connections(
    a: "/1net"
    b: "NETmundial"
  ) {
    ...Relation
    evidenceType
    confidence
    inferenceReason
    sources { document quote title }
  }
}
${FRAGMENTS}`,
  },
];
