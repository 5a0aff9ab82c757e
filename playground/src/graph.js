// The graph view: draws the entities and relations of every GraphQL result with Cytoscape.js,
// in the ICANN diagram's legend (shape = kind, colour = openness, line = relation kind). The
// legend is the server's (`GET /legend`), the same table that styles every `/subgraph` format,
// so a drawing here and an export agree. Two layouts: force-directed (cose) and a timeline (x =
// date at the scale of the data, undated entities in a narrow margin on the left). A time slider
// (`#time-slider`, `data-date`) shows the result as of a month. `#graph-view` carries
// `data-node-count`/`data-edge-count`, the public contract, updated after every result and every
// move of the slider (what is shown), and `data-legend` (`loaded` or `failed`).

import cytoscape from 'cytoscape';
import cytoscapeSvg from 'cytoscape-svg';
import { extractGraph } from './extract.js';

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
      'text-overflow-wrap': 'anywhere',
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
  // Elements the time slider hides: dated after the month it shows (or an endpoint is).
  { selector: '.time-hidden', style: { display: 'none' } },
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
  { selector: 'node.tick-month', style: { 'font-weight': 'normal', 'font-size': 11 } },
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

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A month as one number (year × 12 + month − 1) from an ISO partial date; a bare year is its January. */
export function monthKey(date) {
  if (typeof date !== 'string') return null;
  const m = /^(-?\d{1,6})(?:-(\d{2}))?/.exec(date.trim());
  if (!m) return null;
  const month = m[2] ? Math.min(Math.max(Number(m[2]), 1), 12) : 1;
  return Number(m[1]) * 12 + month - 1;
}

/** The ISO `YYYY-MM` of a month key. */
export function monthIso(key) {
  const year = Math.floor(key / 12);
  const month = key - year * 12 + 1;
  const y = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  return `${y}-${String(month).padStart(2, '0')}`;
}

/** The month an entity is dated by (its start, else its end), as the timeline and the slider read it. */
function entityMonth(data) {
  return monthKey(data.startDate) ?? monthKey(data.endDate);
}

/** A date as a continuous month number: its month key plus the fraction of the month gone by. */
function monthCoord(date) {
  const key = monthKey(date);
  if (key === null) return null;
  const m = /^-?\d{1,6}-\d{2}-(\d{2})/.exec(date.trim());
  if (!m) return key;
  const year = Math.floor(key / 12);
  const days = new Date(Date.UTC(year, key - year * 12 + 1, 0)).getUTCDate();
  return key + (Math.min(Math.max(Number(m[1]), 1), days) - 1) / days;
}

const entityCoord = (data) => monthCoord(data.startDate) ?? monthCoord(data.endDate);

/**
 * The time axis of the dated entities: spans of months drawn to scale, and between them breaks
 * of a fixed width where nothing happens for long (more than a year when months are drawn, five
 * years when years are), so that one early outlier does not squeeze the rest into a corner. Up to
 * 48 months drawn are divided into months; more into whole years.
 */
function timeAxis(coords) {
  const keys = [...new Set(coords.map(Math.floor))].sort((a, b) => a - b);
  const spansOf = (unit, gap) => {
    const spans = [];
    for (const key of keys) {
      const u = Math.floor(key / unit);
      const last = spans[spans.length - 1];
      if (last && u - last.end <= gap) last.end = u + 1;
      else spans.push({ start: u, end: u + 1 });
    }
    return spans.map((sp) => ({ start: sp.start * unit, end: sp.end * unit }));
  };
  let spans = spansOf(1, 12);
  const months = spans.reduce((sum, sp) => sum + sp.end - sp.start, 0);
  const monthly = months <= 48;
  if (!monthly) spans = spansOf(12, 5);
  return { spans, monthly };
}

/**
 * Timeline positions: x from the date (start, else end), rows packed greedily so that labels do
 * not overlap; undated entities in a narrow margin (at most two columns) on the left. The axis
 * reads at the scale of the data (`timeAxis`): months at least 70 px wide, or years at least 40.
 * Among the scales that keep those, the one whose drawing has the view's shape is kept, so labels
 * stay readable once it is fitted.
 */
function timelinePositions(nodes, aspect) {
  const dated = [];
  const undated = [];
  nodes.forEach((n) => {
    const coord = entityCoord(n.data());
    if (coord === null) undated.push(n);
    else dated.push({ n, coord });
  });
  dated.sort((a, b) => a.coord - b.coord || a.n.id().localeCompare(b.n.id()));
  undated.sort((a, b) => String(a.data('label')).localeCompare(String(b.data('label'))));

  const MIN_GAP = 140; // horizontal room for a label (text-max-width is 120)
  const ROW = 88; // vertical room for a node and a label of up to five lines
  const COLUMN = 150; // between undated columns
  const MARGIN = 170; // from the undated margin to the start of the axis
  const BREAK = 150; // the width of a break in the axis

  const axis = dated.length ? timeAxis(dated.map((d) => d.coord)) : { spans: [], monthly: true };
  const months = axis.spans.reduce((sum, sp) => sum + sp.end - sp.start, 0);

  // x of a month coordinate at `pxPerMonth`: spans to scale, breaks of BREAK.
  const xOf = (coord, pxPerMonth) => {
    let offset = 0;
    for (let i = 0; i < axis.spans.length; i += 1) {
      const sp = axis.spans[i];
      if (coord < sp.end || i === axis.spans.length - 1) return offset + (coord - sp.start) * pxPerMonth;
      offset += (sp.end - sp.start) * pxPerMonth + BREAK;
    }
    return 0;
  };

  const pack = (pxPerMonth) => {
    const positions = {};
    const rowEnds = [];
    for (const { n, coord } of dated) {
      const at = xOf(coord, pxPerMonth);
      let row = rowEnds.findIndex((end) => at - end >= MIN_GAP);
      if (row === -1) {
        row = rowEnds.length;
        rowEnds.push(at);
      } else rowEnds[row] = at;
      positions[n.id()] = { x: at, y: row * ROW };
    }
    const perColumn = Math.max(rowEnds.length, Math.ceil(undated.length / 2), 1);
    const columns = Math.ceil(undated.length / perColumn);
    const undatedX = dated.length ? -MARGIN - (columns - 1) * COLUMN : 0;
    undated.forEach((n, i) => {
      positions[n.id()] = { x: undatedX + Math.floor(i / perColumn) * COLUMN, y: (i % perColumn) * ROW };
    });
    const rows = Math.max(1, rowEnds.length, Math.min(undated.length, perColumn));
    const axisWidth = dated.length ? months * pxPerMonth + (axis.spans.length - 1) * BREAK : 0;
    const width = axisWidth - (undated.length ? undatedX : 0) + MIN_GAP;
    const height = rows * ROW + 90;
    return { positions, pxPerMonth, undatedX, height: rows * ROW, width, shape: width / height };
  };

  let best = null;
  if (dated.length) {
    // Candidate scales: from the least that keeps months (or years) apart, a hundredfold up.
    const least = axis.monthly ? 70 : 40 / 12;
    for (let k = 0; k <= 40; k += 1) {
      const candidate = pack(least * 100 ** (k / 40));
      candidate.score = Math.abs(Math.log(candidate.shape / aspect));
      if (!best || candidate.score < best.score - 1e-9) best = candidate;
    }
  } else {
    best = pack(0);
  }
  const pxPerMonth = best.pxPerMonth;
  return {
    ...best,
    axis,
    hasDated: dated.length > 0,
    hasUndated: undated.length > 0,
    x: (coord) => xOf(coord, pxPerMonth),
  };
}

function addTicks(t) {
  const top = -70;
  const height = t.height + 80;
  const ticks = [];
  const line = (id, xx) => ticks.push({ group: 'nodes', classes: 'tick-line', data: { id, height }, position: { x: xx, y: top + height / 2 } });
  const label = (id, text, xx, yy, cls = '') => ticks.push({ group: 'nodes', classes: `tick-label ${cls}`.trim(), data: { id, text }, position: { x: xx, y: yy } });
  const years = new Set();
  const yearLabel = (year, xx, yy) => {
    if (years.has(year)) return;
    years.add(year);
    label(`tick-${year}`, String(year), xx, yy);
  };
  t.axis.spans.forEach((sp, i) => {
    if (i > 0) {
      // A break: the time between two spans where nothing in the result happens.
      const before = t.axis.spans[i - 1];
      label(`tick-break-${i}`, '…', (t.x(before.end - 1e-9) + t.x(sp.start)) / 2, top - 14, 'tick-month');
    }
    if (t.axis.monthly) {
      // A line at every month's start, the month's name over its middle, the year over January
      // (and over a span's first month).
      for (let key = sp.start; key <= sp.end; key += 1) {
        const xx = key === sp.end ? t.x(key - 1) + t.pxPerMonth : t.x(key);
        line(`tick-line-m${key}`, xx);
        if (key === sp.end) break;
        const month = ((key % 12) + 12) % 12;
        label(`tick-m${key}`, MONTH_NAMES[month], xx + t.pxPerMonth / 2, top - 14, 'tick-month');
        if (month === 0 || key === sp.start) yearLabel(Math.floor(key / 12), xx, top - 36);
      }
    } else {
      const first = sp.start / 12;
      const last = sp.end / 12;
      const span = last - first;
      const step = span > 60 ? 10 : span > 25 ? 5 : span > 12 ? 2 : 1;
      for (let year = first; year <= last; year += 1) {
        if (year % step !== 0 && year !== first && year !== last) continue;
        const xx = year === last ? t.x(year * 12 - 1) + t.pxPerMonth : t.x(year * 12);
        line(`tick-line-${year}-${i}`, xx);
        yearLabel(year, xx, top - 16);
      }
    }
  });
  if (t.hasUndated) {
    label('tick-undated', 'undated', t.undatedX, top - 14, 'tick-month');
    if (t.hasDated) line('tick-line-undated', -85);
  }
  const added = cy.add(ticks);
  added.ungrabify().unselectify().lock();
}

function runLayout() {
  if (!cy) return;
  removeTicks();
  // Lay out (and fit) every entity of the result, including those the time slider hides, so that
  // moving the slider never moves anything; then hide them again.
  cy.elements().removeClass('time-hidden');
  const nodes = cy.nodes('.entity');
  const done = () => {
    cy.fit(undefined, 30);
    view().dataset.layout = layoutName;
    const slider = $('time-slider');
    if (months.length && slider) showMonth(Number(slider.value));
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
  pause();
  if (cy) {
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    runLayout();
  }
  const hidden = allRelations - relations.length;
  const errors = result && Array.isArray(result.errors) ? result.errors.length : 0;
  baseStatus =
    entities.length || relations.length
      ? `${entities.length} ${entities.length === 1 ? 'entity' : 'entities'}, ${relations.length} ${relations.length === 1 ? 'relation' : 'relations'}` +
        (hidden > 0 ? ` (${hidden} not drawn: an endpoint is not in the result)` : '') +
        (errors ? ` — ${errors} error${errors === 1 ? '' : 's'} in the result` : '')
      : errors
        ? `The result has ${errors} error${errors === 1 ? '' : 's'} and nothing to draw.`
        : 'Nothing to draw: the result holds no entities (objects with id, label and kind).';
  resetSlider();
}

// ---------------------------------------------------------------------------------------------
// Time slider
//
// The slider spans the months of the result's dated entities, first to last. At a month it
// shows what the server's `asOf` would keep of the result: the entities dated (start, else end)
// in that month or before, the undated ones, and the relations between shown entities. The
// other elements are hidden, not removed, and nothing is laid out again, so every entity stays
// where it is and playing month by month only adds elements: no query, no layout per step.

let baseStatus = '';
let months = []; // month keys, first to last
let timer = null;
const PLAY_STEP_MS = 450;

function resetSlider() {
  const slider = $('time-slider');
  const keys = cy ? cy.nodes('.entity').map((n) => entityMonth(n.data())).filter((k) => k !== null) : [];
  months = [];
  if (keys.length) {
    const lo = Math.min(...keys);
    const hi = Math.max(...keys);
    for (let k = lo; k <= hi; k += 1) months.push(k);
  }
  if (slider) {
    slider.min = '0';
    slider.max = String(Math.max(0, months.length - 1));
    slider.value = slider.max;
    slider.disabled = months.length < 2;
  }
  const play = $('time-play');
  if (play) play.disabled = months.length < 2;
  showMonth(months.length - 1);
}

/** Shows the graph as of `months[index]` (everything when there are no dated entities). */
function showMonth(index) {
  const key = months.length ? months[Math.min(Math.max(index, 0), months.length - 1)] : null;
  let nodes = 0;
  let edges = 0;
  if (cy) {
    cy.batch(() => {
      cy.nodes('.entity').forEach((n) => {
        const month = entityMonth(n.data());
        const hide = key !== null && month !== null && month > key;
        n.toggleClass('time-hidden', hide);
        if (!hide) nodes += 1;
      });
      cy.edges().forEach((e) => {
        const hide = e.source().hasClass('time-hidden') || e.target().hasClass('time-hidden');
        e.toggleClass('time-hidden', hide);
        if (!hide) edges += 1;
      });
    });
  } else {
    nodes = current.entities.length;
    edges = current.relations.length;
  }
  const iso = key === null ? '' : monthIso(key);
  const v = view();
  v.dataset.nodeCount = String(nodes);
  v.dataset.edgeCount = String(edges);
  v.dataset.asOf = iso;
  const slider = $('time-slider');
  if (slider) {
    slider.dataset.date = iso;
    slider.setAttribute('aria-valuetext', iso || 'no dates');
  }
  const label = $('time-date');
  if (label) label.textContent = iso || 'no dates';
  const partial = nodes < current.entities.length || edges < current.relations.length;
  setStatus(partial ? `As of ${iso}: ${nodes} of ${current.entities.length} entities, ${edges} of ${current.relations.length} relations — ${baseStatus}` : baseStatus);
}

function setPlaying(playing) {
  const play = $('time-play');
  if (play) {
    play.setAttribute('aria-pressed', String(playing));
    play.textContent = playing ? '❚❚' : '▶';
    play.title = playing ? 'Pause' : 'Play: add the entities month by month';
  }
}

function pause() {
  if (timer !== null) clearInterval(timer);
  timer = null;
  setPlaying(false);
}

function play() {
  const slider = $('time-slider');
  if (!slider || months.length < 2) return;
  if (Number(slider.value) >= months.length - 1) {
    slider.value = '0';
    showMonth(0);
  }
  setPlaying(true);
  timer = setInterval(() => {
    const next = Number(slider.value) + 1;
    if (next > months.length - 1) return pause();
    slider.value = String(next);
    showMonth(next);
    if (next >= months.length - 1) pause();
  }, PLAY_STEP_MS);
}

function initSlider() {
  const slider = $('time-slider');
  slider?.addEventListener('input', () => showMonth(Number(slider.value)));
  // A user's move stops the replay; the replay's own steps do not fire `input`.
  slider?.addEventListener('pointerdown', pause);
  slider?.addEventListener('keydown', pause);
  $('time-play')?.addEventListener('click', () => (timer === null ? play() : pause()));
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
  initSlider();
  loadLegend();
  container.dataset.layout = layoutName;
  // For debugging and the browser tests: the Cytoscape instance and the last extraction.
  window.govgraph = { get cy() { return cy; }, get graph() { return current; }, setLayout, showResult, showMonth, get months() { return months.map(monthIso); } };
  return cy;
}

export { ENTITY_FIELDS };
