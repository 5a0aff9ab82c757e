// Browser test of the playground, in real headless Chromium (Debian's `chromium` package) driven
// by playwright-core. Starts a throwaway govgraph server (the binary from GOVGRAPH_BIN, default
// /root/.cache/govgraph-target/release/govgraph) that serves the playground embedded in the
// binary, or the files of GOVGRAPH_PLAYGROUND_DIR when that is set (`--playground-dir`).
//
// Checks: nothing is requested outside the server's origin; the Montevideo example run with
// GraphiQL's own Run button is drawn with as many nodes/edges as the result has distinct
// entities/relations (3 and 2); clicking a node shows its details and sources; the timeline
// layout orders nodes by date, spreads a year over its months with no two labels of dated
// entities overlapping, divides decades into years and cuts long empty stretches short; the time
// slider (`#time-slider`, `data-date`) shows the entities started by each month it is moved to, as
// many as the result says (computed here), and plays; "The ICANN diagram" draws the entities
// gg:depictedIn the diagram (asked of /sparql) and the relations it states (asked of GraphQL) on
// the timeline; "Search what the sources say" lands on the relation quoting the words and draws
// what the hits rest on; `?query=` pre-fills the editor; every kind, openness and relation
// kind is drawn, and listed in the legend panel, as `/legend` says; at 1400 px every example
// fits the editor, which is wider than the result by default, and both split bars resize; a
// screenshot goes to <repo>/target/playground.png.
//
// Run: `npm test` (in playground/). Exits non-zero on any failure.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, stopServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const PLAYGROUND_DIR = process.env.GOVGRAPH_PLAYGROUND_DIR || '';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/lib/chromium/chromium';
const SCREENSHOT = join(repo, 'target', 'playground.png');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ------------------------------------------------------------------------------------------------
// Counting entities and relations in a GraphQL result, written here independently of the
// playground's own code (src/extract.js), by the same published rule: relations are objects with
// `source` and `target`; entities are other objects with `id`, `label` and `kind`; both distinct
// by id; a relation counts only when both endpoints are counted entities.

function countGraph(json) {
  const entities = new Set();
  const relations = new Map();
  const visit = (value) => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(visit);
    if (value.source != null && value.target != null) {
      const s = typeof value.source === 'object' ? value.source.id : value.source;
      const t = typeof value.target === 'object' ? value.target.id : value.target;
      if (s != null && t != null) relations.set(String(value.id ?? `${s}|${value.label}|${t}`), [String(s), String(t)]);
    } else if (value.id != null && typeof value.label === 'string' && typeof value.kind === 'string' && value.kind !== 'DIRECT' && value.kind !== 'INDIRECT') {
      entities.add(String(value.id));
    }
    Object.values(value).forEach(visit);
  };
  visit(json);
  const drawn = [...relations.values()].filter(([s, t]) => entities.has(s) && entities.has(t));
  return { nodes: entities.size, edges: drawn.length };
}

/** Fractional year of an ISO partial date (YYYY, YYYY-MM, YYYY-MM-DD). */
function yearOf(date) {
  const m = /^(-?\d+)(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date ?? '');
  if (!m) return null;
  return Number(m[1]) + ((Number(m[2] ?? 1) - 1) * 31 + (Number(m[3] ?? 1) - 1)) / 372;
}


/** A month as one number (year × 12 + month − 1) from an ISO partial date; a bare year is its January. */
function monthOf(date) {
  const m = /^(-?\d+)(?:-(\d{2}))?/.exec(date ?? '');
  return m ? Number(m[1]) * 12 + Number(m[2] ?? 1) - 1 : null;
}

/**
 * What the time slider should show of a result at a month (YYYY-MM), by the server's `asOf` rule,
 * written here independently of the playground: the entities dated (start, else end) in that
 * month or before, the undated ones, and the relations between shown entities.
 */
function graphAsOf(json, iso) {
  const entities = new Map();
  const relations = new Map();
  const visit = (value) => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(visit);
    if (value.source != null && value.target != null) {
      const s = typeof value.source === 'object' ? value.source.id : value.source;
      const t = typeof value.target === 'object' ? value.target.id : value.target;
      if (s != null && t != null) relations.set(String(value.id ?? `${s}|${value.label}|${t}`), [String(s), String(t)]);
    } else if (value.id != null && typeof value.label === 'string' && typeof value.kind === 'string' && value.kind !== 'DIRECT' && value.kind !== 'INDIRECT') {
      const known = entities.get(String(value.id)) ?? {};
      entities.set(String(value.id), { startDate: known.startDate ?? value.startDate, endDate: known.endDate ?? value.endDate });
    }
    Object.values(value).forEach(visit);
  };
  visit(json);
  const limit = iso == null ? Infinity : monthOf(iso);
  const shown = new Set();
  const months = [];
  for (const [id, e] of entities) {
    const month = monthOf(e.startDate) ?? monthOf(e.endDate);
    if (month !== null) months.push(month);
    if (month === null || month <= limit) shown.add(id);
  }
  const edges = [...relations.values()].filter(([s, t]) => shown.has(s) && shown.has(t)).length;
  return { nodes: shown.size, edges, first: Math.min(...months), last: Math.max(...months) };
}

const isoOfMonth = (key) => `${Math.floor(key / 12)}-${String((key % 12) + 1).padStart(2, '0')}`;

// ------------------------------------------------------------------------------------------------

async function editorValue(page, selector) {
  return page.evaluate((sel) => {
    const cm = document.querySelector(`${sel} .CodeMirror`);
    return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : null;
  }, selector);
}

async function waitForCounts(page, nodes, edges, what) {
  try {
    await page.waitForFunction(
      ([n, e]) => {
        const view = document.getElementById('graph-view');
        return view && view.dataset.nodeCount === String(n) && view.dataset.edgeCount === String(e);
      },
      [nodes, edges],
      { timeout: 15_000 },
    );
  } catch {
    const actual = await page.evaluate(() => {
      const view = document.getElementById('graph-view');
      return view ? `${view.dataset.nodeCount} nodes, ${view.dataset.edgeCount} edges` : '#graph-view missing';
    });
    assert.fail(`${what}: #graph-view should show ${nodes} nodes and ${edges} edges, it shows ${actual}`);
  }
}

async function runExample(page, origin, exampleId, marker) {
  await page.selectOption('#examples', exampleId);
  const text = await editorValue(page, '.graphiql-query-editor');
  assert.ok(text && text.includes(marker), `choosing example "${exampleId}" should put its query in the editor; editor has:\n${text}`);
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.url() === `${origin}/graphql` && r.request().method() === 'POST' && (r.request().postData() ?? '').includes(marker),
      { timeout: 20_000 },
    ),
    page.click('.graphiql-execute-button'),
  ]);
  assert.equal(response.status(), 200, 'the GraphQL request should succeed');
  const json = await response.json();
  assert.ok(!json.errors, `the example should run without errors: ${JSON.stringify(json.errors)}`);
  // The result pane shows the same result.
  await page.waitForFunction(() => {
    const cm = document.querySelector('.result-window .CodeMirror');
    return cm && cm.CodeMirror && cm.CodeMirror.getValue().trim().startsWith('{');
  }, null, { timeout: 15_000 });
  const shown = JSON.parse(await editorValue(page, '.result-window'));
  assert.deepEqual(shown.data, json.data, "GraphiQL's result pane should show the response");
  const expected = countGraph(shown);
  await waitForCounts(page, expected.nodes, expected.edges, `example "${exampleId}"`);
  return { json, expected };
}

async function layoutPositions(page) {
  return page.evaluate(() =>
    window.govgraph.cy.nodes('.entity').map((n) => ({
      id: n.id(),
      label: n.data('label'),
      date: n.data('startDate') ?? n.data('endDate') ?? null,
      x: n.position('x'),
      y: n.position('y'),
    })),
  );
}

async function switchToTimeline(page) {
  await page.click('#layout-timeline');
  await page.waitForFunction(() => document.getElementById('graph-view').dataset.layout === 'timeline', null, { timeout: 15_000 });
}

function assertTimelineOrder(positions, what) {
  const dated = positions.filter((p) => yearOf(p.date) !== null).map((p) => ({ ...p, year: yearOf(p.date) }));
  const undated = positions.filter((p) => yearOf(p.date) === null);
  assert.ok(dated.length >= 2, `${what}: at least two dated nodes expected, got ${dated.length}`);
  dated.sort((a, b) => a.year - b.year);
  for (let i = 1; i < dated.length; i += 1) {
    const [a, b] = [dated[i - 1], dated[i]];
    if (b.year > a.year) {
      assert.ok(b.x > a.x, `${what}: "${b.label}" (${b.date}) should be right of "${a.label}" (${a.date}), x ${b.x} <= ${a.x}`);
    } else {
      assert.ok(Math.abs(b.x - a.x) < 1e-6, `${what}: "${a.label}" and "${b.label}" share a date (${a.date}) and should share x`);
    }
  }
  const minDated = Math.min(...dated.map((p) => p.x));
  for (const p of undated) {
    assert.ok(p.x < minDated, `${what}: undated "${p.label}" should be in the undated column left of the dated nodes`);
  }
  // No two nodes at the same place.
  const places = new Set(positions.map((p) => `${Math.round(p.x)},${Math.round(p.y)}`));
  assert.equal(places.size, positions.length, `${what}: two nodes overlap`);
}

// ------------------------------------------------------------------------------------------------

describe('govgraph playground in headless Chromium', { timeout: 240_000 }, () => {
  let server;
  let origin;
  let browser;
  let context;
  let page;
  const offOrigin = [];
  const pageErrors = [];
  let loaded = false; // the later tests need the page; they are skipped when it did not load
  const needsPage = (t) => {
    if (!loaded) t.skip('the playground did not load');
    return loaded;
  };

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    }
    server = startServer();
    origin = await server.origin;
    // playwright-core launches with a fresh temporary profile (user-data dir) each time.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || url.startsWith('blob:') || url === origin || url.startsWith(`${origin}/`)) {
        return route.continue();
      }
      offOrigin.push(url);
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await stopServer(server?.child);
  });

  test('the page loads GraphiQL and the graph view from the server alone', async () => {
    const response = await page.goto(`${origin}/playground`);
    assert.equal(response.status(), 200, '/playground should answer 200');
    if (await page.$('#graphiql-root') === null) {
      assert.fail(
        PLAYGROUND_DIR
          ? `${PLAYGROUND_DIR}/index.html is not the built playground: run \`npm run build\``
          : 'the binary embeds a playground that is not built (placeholder index.html): run `npm run build`, then rebuild govgraph, or set GOVGRAPH_PLAYGROUND_DIR=dist to test the files on disk',
      );
    }
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
    await page.waitForSelector('.graphiql-execute-button');
    const view = await page.$eval('#graph-view', (v) => [v.dataset.nodeCount, v.dataset.edgeCount]);
    assert.deepEqual(view, ['0', '0'], '#graph-view starts empty with its count attributes');
    const fonts = await page.evaluate(() => [...document.styleSheets].length);
    assert.ok(fonts >= 1, 'the stylesheet is loaded');
    assert.deepEqual(pageErrors, [], 'no JavaScript errors');
    loaded = true;
  });

  test('the Montevideo example, run with GraphiQL\'s Run button, is drawn: 3 nodes, 2 edges', async (t) => {
    if (!needsPage(t)) return;
    const { expected } = await runExample(page, origin, 'montevideo', 'Montevideo Statement');
    assert.deepEqual(expected, { nodes: 3, edges: 2 }, 'the Montevideo path has 3 entities and 2 relations');
    await page.waitForFunction(() => document.getElementById('graph-view').dataset.layout === 'cose', null, { timeout: 15_000 });
  });

  test("GraphiQL's docs explorer (introspection) and history work", async (t) => {
    if (!needsPage(t)) return;
    await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
    try {
      await page.waitForSelector('.graphiql-doc-explorer-root-type, .graphiql-doc-explorer-error', { timeout: 15_000 });
    } catch {
      assert.fail(`the docs explorer shows no schema: ${await page.textContent('.graphiql-plugin').catch(() => '(no plugin pane)')}`);
    }
    const error = await page.$('.graphiql-doc-explorer-error');
    assert.equal(error && (await error.textContent()), null, 'the docs explorer should load the schema by introspection');
    const roots = await page.textContent('.graphiql-doc-explorer-content');
    assert.match(roots, /Query/, 'the docs explorer lists the Query root type');
    await page.click('.graphiql-sidebar button[aria-label="Show History"]');
    await page.waitForSelector('.graphiql-history-item', { timeout: 10_000 });
    await page.click('.graphiql-sidebar button[aria-label="Hide History"]');
  });

  test('clicking a node shows its details and sources', async (t) => {
    if (!needsPage(t)) return;
    const target = await page.evaluate(() => {
      const node = window.govgraph.cy.nodes('.entity').filter((n) => n.id() === 'montevideo-statement-2013')[0] ?? window.govgraph.cy.nodes('.entity')[0];
      const p = node.renderedPosition();
      const box = document.getElementById('graph-view').getBoundingClientRect();
      return { id: node.id(), label: node.data('label'), x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.click(target.x, target.y);
    await page.waitForSelector('#details:not([hidden]) .details-title', { timeout: 10_000 });
    const title = await page.textContent('#details .details-title');
    assert.ok(title.includes(target.label), `the details panel should show "${target.label}", shows "${title}"`);
    try {
      await page.waitForSelector('#details .source', { timeout: 10_000 });
    } catch {
      assert.fail(`the details panel should list at least one source; it shows:\n${await page.textContent('#details')}`);
    }
    const sources = await page.$$eval('#details .source', (items) => items.map((i) => i.textContent));
    assert.ok(sources.length >= 1 && sources[0].trim().length > 0, 'at least one source (document and quote)');
    if (target.id === 'montevideo-statement-2013') {
      // "Why closed?": the openness claim, with how it is known and the words it rests on.
      const why = await page.waitForSelector('#details .why-openness', { timeout: 10_000 });
      const text = await why.textContent();
      assert.match(text, /Why closed\?/, `the details panel should say why the statement is closed: ${text}`);
      assert.match(text, /quoted from a public page/, text);
      assert.ok(await why.$('.claim .source blockquote'), `the openness claim should show its quote: ${text}`);
    }
  });

  test('the timeline layout places nodes by date', async (t) => {
    if (!needsPage(t)) return;
    await switchToTimeline(page);
    assertTimelineOrder(await layoutPositions(page), 'Montevideo path');
    // A richer case: the 2014 timeline example, drawn in the timeline layout.
    await runExample(page, origin, 'timeline2014', 'timeline(');
    await page.waitForFunction(() => document.getElementById('graph-view').dataset.layout === 'timeline', null, { timeout: 15_000 });
    assertTimelineOrder(await layoutPositions(page), '2014 timeline');
    const ticks = await page.evaluate(() => window.govgraph.cy.nodes('.tick-label').map((n) => n.data('text')));
    assert.ok(ticks.includes('2014'), `year ticks should include 2014: ${ticks.join(', ')}`);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  test('the 2014 timeline reads at the scale of a year: months across the width, no overlapping labels', async (t) => {
    if (!needsPage(t)) return;
    await runExample(page, origin, 'timeline2014', 'timeline(');
    await page.waitForFunction(() => document.getElementById('graph-view').dataset.layout === 'timeline', null, { timeout: 15_000 });
    const drawn = await page.evaluate(() => {
      const cy = window.govgraph.cy;
      const box = (n) => n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
      return {
        nodes: cy.nodes('.entity').map((n) => ({ label: n.data('label'), date: n.data('startDate') ?? n.data('endDate') ?? null, x: n.position('x'), box: box(n) })),
        ticks: cy.nodes('.tick-label').map((n) => n.data('text')),
      };
    });
    const dated = drawn.nodes.filter((n) => n.date !== null);
    const undated = drawn.nodes.filter((n) => n.date === null);
    assert.ok(dated.length >= 5, `the 2014 timeline has dated entities: ${dated.length}`);
    // Labels of dated entities never overlap.
    for (let i = 0; i < dated.length; i += 1) {
      for (let j = i + 1; j < dated.length; j += 1) {
        const [a, b] = [dated[i].box, dated[j].box];
        const overlap = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5;
        assert.ok(!overlap, `the labels of "${dated[i].label}" (${dated[i].date}) and "${dated[j].label}" (${dated[j].date}) overlap: ${JSON.stringify([a, b])}`);
      }
    }
    // The months take the width; the undated entities a narrow margin.
    const xs = drawn.nodes.map((n) => n.x);
    const datedXs = dated.map((n) => n.x);
    const whole = Math.max(...xs) - Math.min(...xs);
    const datedSpan = Math.max(...datedXs) - Math.min(...datedXs);
    assert.ok(datedSpan >= 0.7 * whole, `the dated entities should take most of the width: ${Math.round(datedSpan)} of ${Math.round(whole)}`);
    if (undated.length) {
      const undatedSpan = Math.max(...undated.map((n) => n.x)) - Math.min(...undated.map((n) => n.x));
      assert.ok(undatedSpan <= 0.2 * whole, `the undated margin should be narrow: ${Math.round(undatedSpan)} of ${Math.round(whole)}`);
    }
    for (const month of ['Jan', 'Apr', 'Jul', 'Oct']) {
      assert.ok(drawn.ticks.includes(month), `a year's timeline is divided into months: ticks ${drawn.ticks.join(', ')}`);
    }
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: join(repo, 'target', 'playground-timeline-2014.png') });
  });

  test('a timeline of decades is divided into years, and a long empty stretch is cut short', async (t) => {
    if (!needsPage(t)) return;
    // Drawn directly (no query): 30 entities a year apart from 1990, one in 1950, two undated.
    const entities = [
      ...Array.from({ length: 30 }, (_, i) => ({ id: `y${i}`, label: `Event of ${1990 + i}`, kind: 'MEETING', startDate: `${1990 + i}-06-15` })),
      { id: 'early', label: 'An early outlier', kind: 'DOCUMENT', startDate: '1950' },
      { id: 'u1', label: 'Undated one', kind: 'ORGANIZATION' },
      { id: 'u2', label: 'Undated two', kind: 'ORGANIZATION' },
    ];
    const drawn = await page.evaluate((data) => {
      window.govgraph.showResult({ data });
      window.govgraph.setLayout('timeline');
      const cy = window.govgraph.cy;
      return {
        nodes: cy.nodes('.entity').map((n) => ({ id: n.id(), label: n.data('label'), date: n.data('startDate') ?? null, x: n.position('x'), y: n.position('y') })),
        ticks: cy.nodes('.tick-label').map((n) => n.data('text')),
        slider: document.getElementById('time-slider').dataset.date,
      };
    }, { entities });
    assertTimelineOrder(drawn.nodes, 'decades');
    assert.ok(['1950', '1990', '2000', '2010'].every((y) => drawn.ticks.includes(y)), `year ticks: ${drawn.ticks.join(', ')}`);
    assert.ok(!drawn.ticks.includes('Jan'), `decades are not divided into months: ${drawn.ticks.join(', ')}`);
    assert.ok(drawn.ticks.includes('…'), `the empty years 1951-1989 are a break: ${drawn.ticks.join(', ')}`);
    const x = Object.fromEntries(drawn.nodes.map((n) => [n.id, n.x]));
    assert.ok(x.y0 - x.early < 0.5 * (x.y29 - x.y0), 'the break is shorter than the years drawn');
    assert.equal(drawn.slider, '2019-06', 'the slider ends at the last month');
  });

  test('the time slider shows the result as of a month, and plays month by month', async (t) => {
    if (!needsPage(t)) return;
    const { json, expected } = await runExample(page, origin, 'netmundial', 'NETmundial');
    const all = graphAsOf(json, null);
    assert.equal(all.nodes, expected.nodes);
    assert.ok(all.last > all.first, 'the neighbourhood of NETmundial spans several months');
    const slider = await page.$('#time-slider');
    assert.ok(slider, '#time-slider exists');
    assert.equal(await slider.getAttribute('type'), 'range', '#time-slider is an input type=range');
    const state = () =>
      page.evaluate(() => {
        const s = document.getElementById('time-slider');
        const v = document.getElementById('graph-view');
        return { date: s.dataset.date, value: Number(s.value), max: Number(s.max), text: document.getElementById('time-date').textContent, nodes: Number(v.dataset.nodeCount), edges: Number(v.dataset.edgeCount) };
      });
    const moveTo = (value) =>
      page.evaluate((v) => {
        const s = document.getElementById('time-slider');
        s.value = String(v);
        s.dispatchEvent(new Event('input', { bubbles: true }));
      }, value);
    // At first the slider is at the result's last month: everything is drawn.
    let now = await state();
    assert.equal(now.date, isoOfMonth(all.last), `the slider starts at the last month of the result: ${JSON.stringify(now)}`);
    assert.equal(now.max, all.last - all.first, 'the slider has a step per month, first to last');
    assert.deepEqual([now.nodes, now.edges], [expected.nodes, expected.edges], 'at the last month the whole result is drawn');
    assert.equal(now.text, now.date, 'the date is shown as text');
    // Every month: the counts are those of the entities started by then.
    for (const value of [0, Math.floor(now.max / 3), Math.floor((2 * now.max) / 3), now.max]) {
      await moveTo(value);
      now = await state();
      const iso = isoOfMonth(all.first + value);
      assert.equal(now.date, iso, `slider at ${value} shows ${iso}`);
      const want = graphAsOf(json, iso);
      assert.deepEqual([now.nodes, now.edges], [want.nodes, want.edges], `as of ${iso} the view should draw ${want.nodes} entities and ${want.edges} relations`);
      // Cytoscape restyles on its next frame.
      const visible = await page.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return [window.govgraph.cy.nodes('.entity:visible').length, window.govgraph.cy.edges(':visible').length];
      });
      assert.deepEqual(visible, [now.nodes, now.edges], `as of ${iso} the drawing shows what the counts say`);
      if (value === 0) assert.ok(now.nodes < expected.nodes, `an early month draws fewer entities: ${now.nodes} of ${expected.nodes}`);
    }
    assert.deepEqual([now.nodes, now.edges], [expected.nodes, expected.edges], 'the last month restores the whole result');
    // Play from the start (the slider is at its end), pause once it has moved on.
    await page.click('#time-play');
    await page.waitForFunction(() => document.getElementById('time-play').getAttribute('aria-pressed') === 'true');
    await page.waitForFunction((first) => {
      const d = document.getElementById('time-slider').dataset.date;
      return d && d !== first;
    }, isoOfMonth(all.first), { timeout: 10_000 });
    await page.click('#time-play');
    now = await state();
    const want = graphAsOf(json, now.date);
    assert.deepEqual([now.nodes, now.edges], [want.nodes, want.edges], `paused at ${now.date}`);
    await page.waitForTimeout(700);
    assert.equal((await state()).date, now.date, 'a paused slider stays where it is');
    await moveTo(now.max);
    now = await state();
    assert.deepEqual([now.nodes, now.edges], [expected.nodes, expected.edges]);
  });

  test('"Search what the sources say" lands on the relation that quotes the words, and draws what the hits rest on', async (t) => {
    if (!needsPage(t)) return;
    const { json, expected } = await runExample(page, origin, 'search-sources', 'partnership between CGI');
    const hits = json.data.search.nodes;
    assert.ok(hits.length > 0, 'the search finds hits');
    const quoted = hits.find((hit) => hit.relation && hit.field === 'QUOTE');
    assert.ok(quoted, 'a relation quotes the words');
    assert.match(quoted.snippet.toLowerCase(), /partnership between cgi/);
    assert.ok(expected.nodes >= 2 && expected.edges >= 1, `the hits' relations are drawn: ${JSON.stringify(expected)}`);
  });

  test('"The ICANN diagram" example draws the diagram\'s boxes and relations on the timeline, in its legend', async (t) => {
    if (!needsPage(t)) return;
    // The boxes, from the server: the entities gg:depictedIn the diagram (GraphQL has no field
    // for it; the SPARQL endpoint reads the same store).
    const sparql = `PREFIX gg: <https://w3id.org/govgraph/ns#>
SELECT ?e WHERE { ?e gg:depictedIn <https://w3id.org/govgraph/id/icann-diagram-2014> }`;
    const answer = await (await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, body: sparql })).json();
    const boxes = new Set(answer.results.bindings.map((b) => b.e.value.replace(/^.*\//, '')));
    assert.equal(boxes.size, 18, 'the diagram has 18 boxes');
    // The relations the diagram states, from GraphQL.
    const gql = await (await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ relations(source: "icann-diagram-2014", first: 500) { edges { node { id source { id } target { id } } } } }' }),
    })).json();
    assert.ok(!gql.errors, JSON.stringify(gql.errors));
    const stated = gql.data.relations.edges.map((e) => e.node).filter((r) => boxes.has(r.source.id) && boxes.has(r.target.id));
    assert.ok(stated.length > 0, 'the diagram states relations between its boxes');

    const { expected } = await runExample(page, origin, 'icann-diagram', 'icann-diagram-2014');
    assert.deepEqual(expected, { nodes: boxes.size, edges: stated.length }, 'the example draws every box and every relation the diagram states between them');
    await page.waitForFunction(() => document.getElementById('graph-view').dataset.layout === 'timeline', null, { timeout: 15_000 });
    const legend = await (await fetch(`${origin}/legend`)).json();
    const drawn = await page.evaluate(() =>
      window.govgraph.cy.nodes('.entity').map((n) => ({ id: n.id(), kind: n.data('kind'), openness: n.data('openness') ?? null, shape: n.style('shape'), colour: n.style('background-color') })),
    );
    assert.deepEqual(drawn.map((n) => n.id).sort(), [...boxes].sort(), 'the drawn nodes are the boxes');
    for (const n of drawn) {
      const kind = legend.kinds.find((k) => k.graphql === n.kind);
      assert.equal(n.shape, kind.shape, `${n.id} is drawn as the legend's ${kind.label}`);
    }
    assertTimelineOrder(await layoutPositions(page), 'ICANN diagram');
    await page.screenshot({ path: join(repo, 'target', 'playground-icann-diagram.png') });
  });

  test('?query= pre-fills the editor (and /playground/ works too)', async (t) => {
    if (!needsPage(t)) return;
    const query = '# pre-filled from the URL\n{ stats { entities relations } }';
    const variables = '{ "unused": "São Paulo" }';
    const second = await context.newPage();
    second.on('pageerror', (error) => pageErrors.push(String(error)));
    const url = `${origin}/playground/?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(variables)}`;
    const response = await second.goto(url);
    assert.equal(response.status(), 200, '/playground/ should answer 200');
    await second.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
    await second.waitForFunction((q) => {
      const cm = document.querySelector('.graphiql-query-editor .CodeMirror');
      return cm && cm.CodeMirror && cm.CodeMirror.getValue().includes(q);
    }, query, { timeout: 10_000 }).catch(() => {});
    const text = await editorValue(second, '.graphiql-query-editor');
    assert.ok(text.includes(query), `the editor should contain the query from the URL; it has:\n${text}`);
    const vars = await editorValue(second, '.graphiql-editor-tool .graphiql-editor:not(.hidden)');
    assert.ok(vars !== null && vars.includes('São Paulo'), `the variables editor should contain the variables from the URL; it has:\n${vars}`);
    await second.close();
  });

  test('the graph view and its legend panel draw what /legend says, the table /subgraph styles with', async (t) => {
    if (!needsPage(t)) return;
    const legend = await (await fetch(`${origin}/legend`)).json();
    await page.waitForFunction(() => document.getElementById('graph-view').dataset.legend === 'loaded', null, { timeout: 10_000 });
    // One entity of every kind in every openness, in both spellings /legend gives (GraphQL's, as a
    // result has it, and the formats', as /subgraph's Cytoscape JSON has it), chained by
    // relations of every kind.
    const spellings = [['graphql', (entry) => entry.graphql], ['name', (entry) => entry.name]];
    const entities = spellings.flatMap(([spelling, spell]) => legend.kinds.flatMap((k) => legend.openness.map((o) => ({ id: `${spelling}-${k.name}-${o.name}`, label: `${k.label}, ${o.label}`, kind: spell(k), openness: spell(o) }))));
    const relations = entities.slice(1).map((e, i) => ({ id: `r${i}`, label: 'test', kind: spellings[i % 2][1](legend.relationKinds[i % legend.relationKinds.length]), source: entities[i], target: e }));
    const entryOf = (group, value) => group.find((entry) => entry.graphql === value || entry.name === value);
    const drawn = await page.evaluate((data) => {
      window.govgraph.showResult({ data });
      const cy = window.govgraph.cy;
      return {
        nodes: cy.nodes('.entity').map((n) => ({ id: n.id(), shape: n.style('shape'), colour: n.style('background-color') })),
        edges: cy.edges().map((e) => ({ kind: e.data('kind'), lineStyle: e.style('line-style') })),
        panel: [...document.querySelectorAll('#graph-legend ul')].map((ul) => [...ul.querySelectorAll('li')].map((li) => li.textContent)),
      };
    }, { entities, relations });
    const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',')})`;
    const expected = entities.map((e) => ({
      id: e.id,
      shape: entryOf(legend.kinds, e.kind).shape,
      colour: rgb(entryOf(legend.openness, e.openness).color),
    }));
    const byId = (a, b) => a.id.localeCompare(b.id);
    assert.deepEqual(drawn.nodes.map((n) => ({ ...n, colour: n.colour.replace(/\s/g, '') })).sort(byId), expected.sort(byId));
    assert.equal(drawn.edges.length, relations.length);
    for (const edge of drawn.edges) {
      assert.equal(edge.lineStyle, entryOf(legend.relationKinds, edge.kind).lineStyle, `a ${edge.kind} edge`);
    }
    assert.deepEqual(drawn.panel, [legend.kinds, legend.openness, legend.relationKinds].map((group) => group.map((entry) => entry.label)));
  });

  test('at 1400 px the editor shows every example whole beside a narrower result; both bars resize', async (t) => {
    if (!needsPage(t)) return;
    const narrow = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await narrow.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort('blockedbyclient')));
    const small = await narrow.newPage();
    small.on('pageerror', (error) => pageErrors.push(String(error)));
    await small.goto(`${origin}/playground`);
    await small.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
    const widths = () =>
      small.evaluate(() => {
        const width = (selector) => document.querySelector(selector)?.getBoundingClientRect().width ?? 0;
        return { editor: width('.graphiql-editors'), result: width('.graphiql-response'), graph: width('#graph-panel') };
      });
    const before = await widths();
    assert.ok(before.editor >= 1.5 * before.result, `by default the editor is the wider pane: ${JSON.stringify(before)}`);
    // Every example fits the editor's width: no line runs past its right edge.
    const examples = await small.$$eval('#examples option:not([disabled])', (options) => options.map((o) => o.value));
    assert.ok(examples.length >= 5, `the examples are listed: ${examples}`);
    for (const example of examples) {
      await small.selectOption('#examples', example);
      const scroll = await small.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getScrollInfo());
      assert.ok(scroll.width <= scroll.clientWidth, `example "${example}" is wider than the editor: ${scroll.width} > ${scroll.clientWidth}`);
    }
    // Dragging GraphiQL's bar gives the result more room; dragging ours gives the graph more.
    const drag = async (selector, dx) => {
      const box = await small.locator(selector).first().boundingBox();
      assert.ok(box, `${selector} is on the page`);
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      await small.mouse.move(x, y);
      await small.mouse.down();
      await small.mouse.move(x + dx / 2, y, { steps: 4 });
      await small.mouse.move(x + dx, y, { steps: 4 });
      await small.mouse.up();
    };
    await drag('.graphiql-session .graphiql-horizontal-drag-bar', -120);
    const dragged = await widths();
    assert.ok(Math.abs(before.editor - dragged.editor - 120) <= 20, `the editor shrank by the drag: ${JSON.stringify({ before, dragged })}`);
    assert.ok(dragged.result > before.result + 100, `the result grew: ${JSON.stringify({ before, dragged })}`);
    await drag('#splitter', -100);
    const wider = await widths();
    assert.ok(Math.abs(wider.graph - dragged.graph - 100) <= 20, `the graph panel grew by the drag: ${JSON.stringify({ dragged, wider })}`);
    // GraphiQL remembers the split it was given (after its half-second debounce).
    await small.waitForTimeout(800);
    await small.reload();
    await small.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
    const reloaded = await widths();
    assert.ok(reloaded.editor < before.editor - 50, `the dragged split is kept on reload: ${JSON.stringify({ before, reloaded })}`);
    await narrow.close();
  });

  test('nothing was requested outside the server\'s origin, and no script error happened', () => {
    assert.deepEqual(offOrigin, [], `requests outside ${origin} were made (and blocked)`);
    assert.equal(offOrigin.length, 0);
    assert.deepEqual(pageErrors, [], 'no JavaScript errors');
  });
});
