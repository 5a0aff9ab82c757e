// The graph view: draws the entities and relations of every GraphQL result with Cytoscape.js,
// in the ICANN diagram's legend (shape = kind, colour = openness, line = relation kind). The
// legend is the server's (`GET /legend`), the same table that styles every `/subgraph` format,
// so a drawing here and an export agree. Two layouts: force-directed (cose) and a timeline (x =
// date, undated entities in a column of their own on the left). `#graph-view` carries
// `data-node-count`/`data-edge-count`, the public contract, updated after every result, and
// `data-legend` (`loaded` or `failed`).

import cytoscape from 'cytoscape';
import cytoscapeSvg from 'cytoscape-svg';
import { extractGraph, entityDate } from './extract.js';

cytoscape.use(cytoscapeSvg);

// Empty until /legend answers; the style's functions read it, so a result drawn before then is
// restyled once it does.
let legend = { kinds: [], openness: [], relationKinds: [] };
// A `kind` the legend does not know (an object that only looks like an entity).
const OTHER_SHAPE = 'star';

// A value finds its legend entry in either spelling /legend gives: GraphQL's (`DISCUSSION_SPACE`,
// null for an openness the sources do not give), as in a result, or the formats' (`discussion_space`,
// `unknown`), as in /subgraph's Cytoscape JSON.
const entryOf = (group, value) => group.find((entry) => entry.graphql === (value ?? null) || entry.name === value);
const shapeOf = (kind) => entryOf(legend.kinds, kind)?.shape ?? OTHER_SHAPE;
const opennessOf = (openness) => entryOf(legend.openness, openness) ?? legend.openness.find((o) => o.graphql === null);
const colourOf = (openness) => opennessOf(openness)?.color ?? '#ffffff';
const lineStyleOf = (kind) => entryOf(legend.relationKinds, kind)?.lineStyle ?? 'solid';

const ENTITY_FIELDS = `id iri label aliases kind openness opennessNote description startDate endDate
  dateStatus dateNote location identifier theme degree sources { document quote title documentIri }
  claims { property value asserted evidenceType confidence inferenceReason sources { document quote title documentIri } }`;

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const STYLE = [
  {
    selector: 'node.entity',
    style: {
      shape: (n) => shapeOf(n.data('kind')),
      'background-color': (n) => colourOf(n.data('openness')),
      'border-width': 1,
      'border-color': '#3b4252',
      width: 26,
      height: 26,
      label: 'data(shortLabel)',
      'font-size': 10,
      'font-family': 'system-ui, sans-serif',
      color: '#1f2933',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'wrap',
      'text-max-width': 120,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.75,
      'text-background-padding': 1,
      'z-index-compare': 'manual',
      'z-index': 20,
    },
  },
  { selector: 'node.entity[kind = "PERSON"], node.entity[kind = "person"]', style: { 'text-margin-y': 2 } },
  {
    selector: 'node.entity:selected',
    style: { 'border-width': 4, 'border-color': '#1d4ed8', 'z-index': 30 },
  },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-style': (e) => lineStyleOf(e.data('kind')),
      'line-dash-pattern': [6, 4],
      'line-color': '#5b6472',
      'target-arrow-color': '#5b6472',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.9,
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-size': 8,
      'font-family': 'system-ui, sans-serif',
      color: '#4b5563',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'text-background-padding': 1,
      'z-index-compare': 'manual',
      'z-index': 10,
    },
  },
  { selector: 'edge:selected', style: { width: 3, 'line-color': '#1d4ed8', 'target-arrow-color': '#1d4ed8' } },
  {
    selector: 'node.tick-line',
    style: {
      shape: 'rectangle',
      width: 1,
      height: 'data(height)',
      'background-color': '#d8dee6',
      'border-width': 0,
      events: 'no',
      'z-index-compare': 'manual',
      'z-index': 0,
    },
  },
  {
    selector: 'node.tick-label',
    style: {
      shape: 'rectangle',
      width: 1,
      height: 1,
      'background-opacity': 0,
      'border-width': 0,
      label: 'data(text)',
      'font-size': 12,
      'font-weight': 'bold',
      'font-family': 'system-ui, sans-serif',
      color: '#6b7280',
      'text-valign': 'center',
      'text-halign': 'center',
      events: 'no',
      'z-index-compare': 'manual',
      'z-index': 1,
    },
  },
];

let cy = null;
let current = { entities: [], relations: [], allRelations: 0 };
let layoutName = 'cose';
let fetchEntity = null; // (ref) => Promise<entity|null>, set by init
const detailsCache = new Map();

function view() {
  return $('graph-view');
}

function setStatus(text) {
  const status = $('graph-status');
  if (status) status.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Layouts

function removeTicks() {
  cy.remove('node.tick-line, node.tick-label');
}

/**
 * Timeline positions: x from the date (start, else end), rows packed greedily so that labels do
 * not overlap; undated entities in columns of their own on the left. The scale (pixels per
 * year) is chosen so that the drawing's shape matches the view's, which keeps labels readable
 * once it is fitted.
 */
function timelinePositions(nodes, aspect) {
  const dated = [];
  const undated = [];
  nodes.forEach((n) => {
    const date = entityDate(n.data());
    if (date === null) undated.push(n);
    else dated.push({ n, date });
  });
  dated.sort((a, b) => a.date - b.date || a.n.id().localeCompare(b.n.id()));
  undated.sort((a, b) => String(a.data('label')).localeCompare(String(b.data('label'))));

  const MIN_GAP = 140; // horizontal room for a label
  const ROW = 88; // vertical room for a node and a label of up to five lines
  const COLUMN = 150; // between undated columns
  const firstYear = dated.length ? Math.floor(dated[0].date) : 0;
  const lastYear = dated.length ? Math.floor(dated[dated.length - 1].date) + 1 : 0;
  const span = Math.max(1, lastYear - firstYear);

  const pack = (pxPerYear) => {
    const positions = {};
    const rowEnds = [];
    for (const { n, date } of dated) {
      const at = (date - firstYear) * pxPerYear;
      let row = rowEnds.findIndex((end) => at - end >= MIN_GAP);
      if (row === -1) {
        row = rowEnds.length;
        rowEnds.push(at);
      } else rowEnds[row] = at;
      positions[n.id()] = { x: at, y: row * ROW };
    }
    const perColumn = Math.max(rowEnds.length, 8);
    const columns = Math.ceil(undated.length / perColumn);
    const undatedX = dated.length ? -Math.max(200, pxPerYear * 0.5) - (columns - 1) * COLUMN : 0;
    undated.forEach((n, i) => {
      positions[n.id()] = { x: undatedX + Math.floor(i / perColumn) * COLUMN, y: (i % perColumn) * ROW };
    });
    const rows = Math.max(1, rowEnds.length, Math.min(undated.length, perColumn));
    const width = (dated.length ? span * pxPerYear : 0) - (undated.length ? undatedX : 0) + MIN_GAP;
    const height = rows * ROW + 90;
    return { positions, pxPerYear, undatedX, height: rows * ROW, width, shape: width / height };
  };

  let best = null;
  if (dated.length) {
    // Candidate scales from 40 to 4000 px a year; keep the one whose shape is nearest the view's.
    for (let k = 0; k <= 40; k += 1) {
      const candidate = pack(40 * 100 ** (k / 40));
      candidate.score = Math.abs(Math.log(candidate.shape / aspect));
      if (!best || candidate.score < best.score - 1e-9) best = candidate;
    }
  } else {
    best = pack(0);
  }
  const pxPerYear = best.pxPerYear;
  return {
    ...best,
    firstYear,
    lastYear,
    hasDated: dated.length > 0,
    hasUndated: undated.length > 0,
    x: (date) => (date - firstYear) * pxPerYear,
  };
}

function addTicks(t) {
  const top = -70;
  const height = t.height + 80;
  const ticks = [];
  if (t.hasDated) {
    const span = t.lastYear - t.firstYear;
    const step = span > 60 ? 10 : span > 25 ? 5 : span > 12 ? 2 : 1;
    for (let year = t.firstYear; year <= t.lastYear; year += 1) {
      if (year % step !== 0 && year !== t.firstYear) continue;
      const xx = t.x(year);
      ticks.push({ group: 'nodes', classes: 'tick-line', data: { id: `tick-line-${year}`, height }, position: { x: xx, y: top + height / 2 } });
      ticks.push({ group: 'nodes', classes: 'tick-label', data: { id: `tick-${year}`, text: String(year) }, position: { x: xx, y: top - 16 } });
    }
  }
  if (t.hasUndated) {
    ticks.push({ group: 'nodes', classes: 'tick-label', data: { id: 'tick-undated', text: 'undated' }, position: { x: t.undatedX, y: top - 16 } });
    if (t.hasDated) {
      const xx = t.x(t.firstYear) - Math.max(100, t.pxPerYear * 0.25);
      ticks.push({ group: 'nodes', classes: 'tick-line', data: { id: 'tick-line-undated', height }, position: { x: xx, y: top + height / 2 } });
    }
  }
  const added = cy.add(ticks);
  added.ungrabify().unselectify().lock();
}

function runLayout() {
  if (!cy) return;
  removeTicks();
  const nodes = cy.nodes('.entity');
  const done = () => {
    cy.fit(undefined, 30);
    view().dataset.layout = layoutName;
  };
  if (layoutName === 'timeline') {
    const box = view().getBoundingClientRect();
    const t = timelinePositions(nodes, box.width > 0 && box.height > 0 ? box.width / box.height : 1);
    nodes.positions((n) => t.positions[n.id()]);
    addTicks(t);
    done();
  } else {
    view().dataset.layout = 'running';
    const layout = nodes.union(cy.edges()).layout({
      name: 'cose',
      animate: false,
      randomize: true,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => 90,
      nodeRepulsion: () => 9000,
      padding: 30,
      fit: true,
    });
    layout.one('layoutstop', done);
    layout.run();
  }
  for (const name of ['cose', 'timeline']) {
    const button = $(`layout-${name}`);
    if (button) button.setAttribute('aria-pressed', String(name === layoutName));
  }
}

export function setLayout(name) {
  layoutName = name === 'timeline' ? 'timeline' : 'cose';
  runLayout();
}

// ---------------------------------------------------------------------------------------------
// Results

/** Long labels are cut on the drawing (the details panel shows them whole). */
function shorten(label) {
  const text = String(label ?? '');
  return text.length > 72 ? `${text.slice(0, 70).trimEnd()}…` : text;
}

/** Draws a GraphQL result (or clears the view when it holds no entities). */
export function showResult(result) {
  current = extractGraph(result);
  const { entities, relations, allRelations } = current;
  const elements = [
    ...entities.map((e) => ({ group: 'nodes', classes: 'entity', data: { ...e, id: e.id, shortLabel: shorten(e.label) } })),
    ...relations.map((r) => ({
      group: 'edges',
      data: { ...r, id: `rel:${r.id}`, relationId: r.id, source: r.sourceId, target: r.targetId },
    })),
  ];
  hideDetails();
  if (cy) {
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    runLayout();
  }
  const v = view();
  v.dataset.nodeCount = String(entities.length);
  v.dataset.edgeCount = String(relations.length);
  const hidden = allRelations - relations.length;
  const errors = result && Array.isArray(result.errors) ? result.errors.length : 0;
  setStatus(
    entities.length || relations.length
      ? `${entities.length} ${entities.length === 1 ? 'entity' : 'entities'}, ${relations.length} ${relations.length === 1 ? 'relation' : 'relations'}` +
          (hidden > 0 ? ` (${hidden} not drawn: an endpoint is not in the result)` : '') +
          (errors ? ` — ${errors} error${errors === 1 ? '' : 's'} in the result` : '')
      : errors
        ? `The result has ${errors} error${errors === 1 ? '' : 's'} and nothing to draw.`
        : 'Nothing to draw: the result holds no entities (objects with id, label and kind).',
  );
}

// ---------------------------------------------------------------------------------------------
// Details panel

function hideDetails() {
  const panel = $('details');
  if (panel) {
    panel.hidden = true;
    panel.replaceChildren();
  }
}

function linkOrText(text) {
  if (typeof text === 'string' && /^https?:\/\//.test(text)) {
    return el('a', { href: text, target: '_blank', rel: 'noopener noreferrer' }, text);
  }
  return text;
}

function sourcesList(sources) {
  if (!Array.isArray(sources)) return null;
  if (!sources.length) return el('p', { class: 'muted' }, 'No sources recorded.');
  return el(
    'ol',
    { class: 'sources' },
    sources.map((s) =>
      el(
        'li',
        { class: 'source' },
        s.quote ? el('blockquote', {}, `“${s.quote}”`) : null,
        el('div', { class: 'source-doc' }, s.title && s.title !== s.document ? [el('span', { class: 'source-title' }, s.title), ' — '] : null, linkOrText(s.document ?? s.documentIri ?? '')),
      ),
    ),
  );
}

const EVIDENCE_NAMES = {
  SEED_QUOTE: 'quoted from a seed document',
  PUBLIC_SOURCE: 'quoted from a public page',
  INFERRED: 'inferred',
  ASSERTED: 'asserted by a curator',
};

const CLAIM_NAMES = { openness: 'openness', startDate: 'start', endDate: 'end', issued: 'issued', location: 'place', dateStatus: 'date status' };

// One claim: how the value is known, how sure, why, and the words it rests on.
function claimItem(claim, withValue) {
  const how = [EVIDENCE_NAMES[claim.evidenceType] ?? 'no evidence type'];
  if (claim.confidence != null) how.push(`confidence ${claim.confidence}`);
  return el(
    'li',
    { class: 'claim', 'data-property': claim.property, 'data-evidence-type': claim.evidenceType ?? '' },
    el('div', { class: 'claim-how' }, withValue ? [el('strong', {}, `${CLAIM_NAMES[claim.property] ?? claim.property}: ${claim.value ?? '?'}`), ' — '] : null, how.join(', ')),
    claim.inferenceReason ? el('p', { class: 'claim-reason' }, claim.inferenceReason) : null,
    claim.sources?.length ? sourcesList(claim.sources) : null,
  );
}

// "Why closed?": the openness's claims; then the readings the entity does not state as its own
// (a later page's date for a box the diagram leaves TBD).
function claimsSections(entity) {
  const claims = Array.isArray(entity.claims) ? entity.claims : [];
  const openness = claims.filter((c) => c.property === 'openness' && c.asserted);
  const others = claims.filter((c) => !c.asserted);
  const sections = [];
  if (openness.length) {
    const title = `Why ${String(openness[0].value ?? entity.openness ?? '').toLowerCase()}?`;
    sections.push(el('section', { class: 'why-openness' }, el('h4', {}, title), el('ol', { class: 'claims' }, openness.map((c) => claimItem(c, false)))));
  }
  if (others.length) {
    sections.push(el('section', { class: 'other-readings' }, el('h4', {}, 'Other readings'), el('ol', { class: 'claims' }, others.map((c) => claimItem(c, true)))));
  }
  return sections;
}

function fieldRows(entity, fields) {
  const rows = [];
  for (const [key, name] of fields) {
    let value = entity[key];
    if (value == null || value === '' || (Array.isArray(value) && !value.length)) continue;
    if (Array.isArray(value)) value = value.join(', ');
    rows.push(el('dt', {}, name), el('dd', {}, linkOrText(String(value))));
  }
  return rows.length ? el('dl', {}, rows) : null;
}

const ENTITY_ROWS = [
  ['kind', 'Kind'],
  ['openness', 'Openness'],
  ['opennessNote', 'Openness note'],
  ['startDate', 'Start'],
  ['endDate', 'End'],
  ['dateStatus', 'Date status'],
  ['dateNote', 'Date note'],
  ['location', 'Location'],
  ['aliases', 'Also known as'],
  ['identifier', 'Identifier'],
  ['theme', 'Theme'],
  ['degree', 'Relations'],
  ['description', 'Description'],
  ['iri', 'IRI'],
  ['id', 'Id'],
];

const RELATION_ROWS = [
  ['kind', 'Kind'],
  ['predicate', 'Predicate'],
  ['inverseLabel', 'Inverse'],
  ['evidenceType', 'Evidence'],
  ['confidence', 'Confidence'],
  ['inferenceReason', 'Inferred because'],
  ['iri', 'IRI'],
  ['relationId', 'Id'],
];

function renderDetails(header, body) {
  const panel = $('details');
  panel.replaceChildren(
    el('div', { class: 'details-head' }, header, el('button', { type: 'button', class: 'details-close', title: 'Close', 'aria-label': 'Close details', onclick: hideDetails }, '×')),
    body,
  );
  panel.hidden = false;
}

function entityBody(entity, loading) {
  return el(
    'div',
    { class: 'details-body' },
    fieldRows(entity, ENTITY_ROWS),
    loading ? null : claimsSections(entity),
    el('h4', {}, 'Sources'),
    loading ? el('p', { class: 'muted' }, 'Loading sources…') : sourcesList(entity.sources) ?? el('p', { class: 'muted' }, 'No sources recorded.'),
    el(
      'button',
      {
        type: 'button',
        class: 'details-action',
        onclick: () => window.dispatchEvent(new CustomEvent('govgraph:set-query', { detail: { query: neighbourhoodQuery(entity.id), run: true } })),
      },
      'Query its neighbourhood',
    ),
  );
}

function entityHeader(entity) {
  return el('h3', { class: 'details-title' }, el('span', { class: 'swatch', style: `background:${colourOf(entity.openness)}` }), entity.label);
}

export function neighbourhoodQuery(id) {
  return `{
  subgraph(roots: [${JSON.stringify(id)}], depth: 1, limit: 80) {
    truncated
    nodes { id label kind openness startDate endDate }
    relations {
      id label kind
      source { id label kind openness startDate endDate }
      target { id label kind openness startDate endDate }
    }
  }
}
`;
}

async function showEntity(data) {
  const id = data.id;
  let entity = { ...data, ...(detailsCache.get(id) ?? {}) };
  const complete = Array.isArray(entity.sources) && 'description' in entity;
  renderDetails(entityHeader(entity), entityBody(entity, !complete));
  $('details').dataset.entityId = id;
  if (complete || !fetchEntity) return;
  try {
    const fetched = await fetchEntity(id);
    if (fetched) detailsCache.set(id, fetched);
    if ($('details').dataset.entityId !== id || $('details').hidden) return;
    entity = { ...entity, ...(fetched ?? {}), sources: fetched?.sources ?? entity.sources ?? [] };
    renderDetails(entityHeader(entity), entityBody(entity, false));
  } catch (error) {
    if ($('details').dataset.entityId !== id) return;
    renderDetails(entityHeader(entity), el('div', { class: 'details-body' }, fieldRows(entity, ENTITY_ROWS), el('p', { class: 'error' }, `Could not load the sources: ${error.message ?? error}`)));
  }
}

function showRelation(data) {
  const source = cy.getElementById(data.source).data('label') ?? data.source;
  const target = cy.getElementById(data.target).data('label') ?? data.target;
  renderDetails(
    el('h3', { class: 'details-title' }, `${source} — ${data.label ?? data.predicate ?? 'related to'} → ${target}`),
    el('div', { class: 'details-body' }, fieldRows(data, RELATION_ROWS), el('h4', {}, 'Sources'), sourcesList(data.sources) ?? el('p', { class: 'muted' }, 'Add `sources { document quote }` to the query to see them.')),
  );
  $('details').dataset.entityId = '';
}

// ---------------------------------------------------------------------------------------------
// Legend and export

function shapeIcon(shape, colour) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  let node;
  const points = {
    rectangle: '3,3 17,3 17,17 3,17',
    diamond: '10,1 19,10 10,19 1,10',
    hexagon: '5,2 15,2 19,10 15,18 5,18 1,10',
    triangle: '10,2 19,18 1,18',
  }[shape];
  if (points) {
    node = document.createElementNS(ns, 'polygon');
    node.setAttribute('points', points);
  } else {
    node = document.createElementNS(ns, 'circle');
    node.setAttribute('cx', '10');
    node.setAttribute('cy', '10');
    node.setAttribute('r', '8');
  }
  node.setAttribute('fill', colour);
  node.setAttribute('stroke', '#3b4252');
  svg.append(node);
  return svg;
}

function lineIcon(lineStyle) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 30 10');
  svg.setAttribute('width', '30');
  svg.setAttribute('height', '10');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(ns, 'line');
  for (const [k, v] of Object.entries({ x1: 1, y1: 5, x2: 23, y2: 5, stroke: '#5b6472', 'stroke-width': 2 })) line.setAttribute(k, String(v));
  const dashes = { dashed: '4 3', dotted: '1 3' }[lineStyle];
  if (dashes) line.setAttribute('stroke-dasharray', dashes);
  const arrow = document.createElementNS(ns, 'polygon');
  arrow.setAttribute('points', '22,1 29,5 22,9');
  arrow.setAttribute('fill', '#5b6472');
  svg.append(line, arrow);
  return svg;
}

function buildLegend() {
  $('graph-legend')?.replaceChildren(
    el('ul', { class: 'legend-group', 'aria-label': 'Shape: kind' }, legend.kinds.map((k) => el('li', {}, shapeIcon(k.shape, '#ffffff'), k.label))),
    el('ul', { class: 'legend-group', 'aria-label': 'Colour: openness' }, legend.openness.map((o) => el('li', {}, shapeIcon('ellipse', o.color), o.label))),
    el('ul', { class: 'legend-group', 'aria-label': 'Line: relation kind' }, legend.relationKinds.map((r) => el('li', {}, lineIcon(r.lineStyle), r.label))),
  );
}

async function loadLegend() {
  const view = $('graph-view');
  try {
    const response = await fetch(new URL('/legend', window.location.href).href, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`/legend answered ${response.status}`);
    legend = await response.json();
    cy?.style().update();
    buildLegend();
    view.dataset.legend = 'loaded';
  } catch (error) {
    $('graph-legend')?.replaceChildren(el('p', { class: 'error' }, `The legend could not be loaded: ${error.message ?? error}`));
    view.dataset.legend = 'failed';
  }
}

/** The bar between GraphiQL and the graph panel: drag it to give either more room. */
function initSplitter() {
  const bar = $('splitter');
  const app = $('app');
  if (!bar || !app) return;
  const setWidth = (px) => {
    const width = Math.round(Math.min(Math.max(px, 300), window.innerWidth - 420));
    app.style.setProperty('--graph-width', `${width}px`);
    cy?.resize();
  };
  bar.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    bar.setPointerCapture(event.pointerId);
    const move = (e) => setWidth(window.innerWidth - e.clientX);
    const up = () => {
      bar.removeEventListener('pointermove', move);
      bar.removeEventListener('pointerup', up);
      cy?.resize();
    };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', up);
  });
  bar.addEventListener('keydown', (event) => {
    const now = $('graph-panel').getBoundingClientRect().width;
    if (event.key === 'ArrowLeft') setWidth(now + 40);
    else if (event.key === 'ArrowRight') setWidth(now - 40);
  });
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportPng() {
  const blob = cy.png({ output: 'blob', bg: '#ffffff', full: true, scale: 2, maxWidth: 8000, maxHeight: 8000 });
  download(blob, 'govgraph.png');
}

export function exportSvg() {
  const svg = cy.svg({ full: true, bg: '#ffffff', scale: 1 });
  download(new Blob([svg], { type: 'image/svg+xml' }), 'govgraph.svg');
}

// ---------------------------------------------------------------------------------------------

/**
 * @param {{ fetchEntity: (ref: string) => Promise<object|null> }} options
 */
export function initGraph(options = {}) {
  fetchEntity = options.fetchEntity ?? null;
  const container = view();
  cy = cytoscape({
    container,
    elements: [],
    style: STYLE,
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: false,
  });
  cy.on('tap', 'node.entity', (event) => showEntity(event.target.data()));
  cy.on('tap', 'edge', (event) => showRelation(event.target.data()));
  cy.on('tap', (event) => {
    if (event.target === cy) hideDetails();
  });
  $('layout-cose')?.addEventListener('click', () => setLayout('cose'));
  $('layout-timeline')?.addEventListener('click', () => setLayout('timeline'));
  $('graph-fit')?.addEventListener('click', () => cy.fit(undefined, 30));
  $('export-png')?.addEventListener('click', exportPng);
  $('export-svg')?.addEventListener('click', exportSvg);
  initSplitter();
  loadLegend();
  container.dataset.layout = layoutName;
  // For debugging and the browser tests: the Cytoscape instance and the last extraction.
  window.govgraph = { get cy() { return cy; }, get graph() { return current; }, setLayout, showResult };
  return cy;
}

export { ENTITY_FIELDS };
