// The GraphQL over HTTP conformance audits of graphql-http (the reference implementation's own
// `serverAudits`, from the npm registry), run against a real govgraph server: every audit,
// MUST, SHOULD and MAY alike, must pass.
//
// Run: `npm test` (in playground/). Exits non-zero on any failure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';
import { startServer, stopServer } from './server.mjs';

test('every graphql-http server audit passes', async () => {
  const { child, origin } = startServer();
  try {
    const url = `${await origin}/graphql`;
    const audits = serverAudits({ url, fetchFn: fetch });
    const results = [];
    for (const audit of audits) {
      results.push(await audit.fn());
    }
    const failed = results
      .filter((result) => result.status !== 'ok')
      .map((result) => `${result.id} (${result.status}) ${result.name}: ${result.reason}`);
    assert.deepEqual(failed, [], `${failed.length} of ${results.length} audits failed`);
    // Not vacuous: the suite of this graphql-http version, all of it.
    assert.ok(results.length >= 61, `only ${results.length} audits ran`);
    console.log(`graphql-http audits: ${results.length} of ${results.length} pass`);
  } finally {
    await stopServer(child);
  }
});
