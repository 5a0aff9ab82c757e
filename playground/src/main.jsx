// The govgraph playground: GraphiQL (docs explorer, history) on the left, the graph view on the
// right. Everything is bundled; nothing is loaded from outside the server's origin.

import 'graphiql/style.css';
import './style.css';

import { useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQLProvider, GraphiQLInterface, GraphiQL } from 'graphiql';
import { useEditorContext, useExecutionContext } from '@graphiql/react';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { getIntrospectionQuery } from 'graphql';

import { EXAMPLES } from './examples.js';
import { initGraph, showResult, setLayout, ENTITY_FIELDS } from './graph.js';

const INTROSPECTION = 'IntrospectionQuery';
const endpoint = new URL('/graphql', window.location.href).href;
const baseFetcher = createGraphiQLFetcher({ url: endpoint });

function isAsyncIterable(value) {
  return value != null && typeof value[Symbol.asyncIterator] === 'function';
}

// The standard introspection query (graphql-js `getIntrospectionQuery`, which GraphiQL sends)
// nests `ofType` nine levels deep: deeper than govgraph's default `--max-query-depth` (12)
// allows. The schema's deepest type is `[String!]!` (three wrappers), so a `TypeRef` with five
// levels is plenty; if the server's limit is lower still, fewer levels are tried.
function introspectionQuery(levels) {
  const typeRef = `fragment TypeRef on __Type { kind name${' ofType { kind name'.repeat(levels)}${' }'.repeat(levels)} }`;
  return getIntrospectionQuery({ inputValueDeprecation: true }).replace(/fragment TypeRef on __Type \{[\s\S]*$/, typeRef);
}

async function introspect(params, options) {
  let result;
  for (const levels of [5, 4, 3]) {
    result = await baseFetcher({ ...params, query: introspectionQuery(levels) }, options);
    const tooDeep = result?.errors?.some((e) => e?.extensions?.limit === 'depth' || /too deep/i.test(e?.message ?? ''));
    if (!tooDeep) return result;
  }
  return result;
}

/** The fetcher GraphiQL uses: the toolkit's, with every result also drawn in the graph view. */
function fetcher(params, options) {
  if (params.operationName === INTROSPECTION) return introspect(params, options);
  const out = baseFetcher(params, options);
  if (out && typeof out.then === 'function') {
    return out.then(
      (result) => {
        if (isAsyncIterable(result)) return drawEach(result);
        showResult(result);
        return result;
      },
      (error) => {
        showResult({ errors: [{ message: String(error?.message ?? error) }] });
        throw error;
      },
    );
  }
  if (isAsyncIterable(out)) return drawEach(out);
  return out;
}

async function* drawEach(iterable) {
  for await (const result of iterable) {
    showResult(result);
    yield result;
  }
}

// GraphiQL keeps the panes' sizes in localStorage; until the user drags a bar, the query editor
// gets two thirds of the room beside the JSON response (the graph panel draws the result too).
const PANE_DEFAULTS = { 'graphiql:editorFlex': '2' };

function paneStorage() {
  let local = null;
  try {
    local = window.localStorage;
  } catch {
    // Storage disabled (private mode, sandboxed frame): defaults only, nothing remembered.
  }
  const ours = () => (local ? Object.keys(local).filter((key) => key.startsWith('graphiql:')) : []);
  return {
    getItem: (key) => local?.getItem(key) ?? PANE_DEFAULTS[key] ?? null,
    setItem: (key, value) => local?.setItem(key, value),
    removeItem: (key) => local?.removeItem(key),
    get length() {
      return ours().length;
    },
    clear: () => ours().forEach((key) => local.removeItem(key)),
  };
}

const PANE_STORAGE = paneStorage();

/** Fetches the details of one entity (its sources) for the details panel. */
async function fetchEntity(ref) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      query: `query EntityDetails($ref: String!) { entity(ref: $ref) { ${ENTITY_FIELDS} } }`,
      variables: { ref },
      operationName: 'EntityDetails',
    }),
  });
  const json = await response.json();
  if (json.errors?.length) throw new Error(json.errors.map((e) => e.message).join('; '));
  return json.data?.entity ?? null;
}

function Header() {
  const { queryEditor, variableEditor } = useEditorContext({ nonNull: true });
  const { run } = useExecutionContext({ nonNull: true });
  const editors = useRef({});
  editors.current = { queryEditor, variableEditor, run };

  useEffect(() => {
    const onSetQuery = (event) => {
      const { queryEditor: q, variableEditor: v } = editors.current;
      if (!q) return;
      q.setValue(event.detail.query);
      v?.setValue(event.detail.variables ?? '');
      if (event.detail.run) setTimeout(() => editors.current.run(), 0);
    };
    window.addEventListener('govgraph:set-query', onSetQuery);
    return () => window.removeEventListener('govgraph:set-query', onSetQuery);
  }, []);

  const choose = (event) => {
    const example = EXAMPLES.find((e) => e.id === event.target.value);
    event.target.value = '';
    if (!example || !queryEditor) return;
    queryEditor.setValue(example.query);
    variableEditor?.setValue('');
    if (example.layout) setLayout(example.layout);
    queryEditor.focus();
  };

  return (
    <header className="gg-header">
      <h1 className="gg-title">
        govgraph <span>playground</span>
      </h1>
      <label className="gg-examples">
        <span>Examples</span>
        <select id="examples" defaultValue="" onChange={choose} aria-label="Example queries">
          <option value="" disabled>
            Choose an example query…
          </option>
          {EXAMPLES.map((e) => (
            <option key={e.id} value={e.id}>
              {e.title}
            </option>
          ))}
        </select>
      </label>
      <span className="gg-hint">Run with ▶ or Ctrl-Enter: the result is drawn on the right.</span>
    </header>
  );
}

function App({ query, variables, operationName }) {
  return (
    <GraphiQLProvider
      fetcher={fetcher}
      defaultQuery={EXAMPLES[0].query}
      query={query}
      variables={variables}
      operationName={operationName}
      introspectionQueryName={INTROSPECTION}
      shouldPersistHeaders={false}
      storage={PANE_STORAGE}
    >
      <div className="gg-left">
        <Header />
        <div className="gg-graphiql">
          <GraphiQLInterface defaultEditorToolsVisibility={variables ? 'variables' : false}>
            <GraphiQL.Logo>
              <span className="gg-logo">GraphQL</span>
            </GraphiQL.Logo>
          </GraphiQLInterface>
        </div>
      </div>
    </GraphiQLProvider>
  );
}

const params = new URLSearchParams(window.location.search);
initGraph({ fetchEntity });
createRoot(document.getElementById('graphiql-root')).render(
  <App
    query={params.get('query') ?? undefined}
    variables={params.get('variables') ?? undefined}
    operationName={params.get('operationName') ?? undefined}
  />,
);
