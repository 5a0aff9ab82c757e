// A throwaway govgraph server for the Node.js tests: the binary from GOVGRAPH_BIN (default
// /root/.cache/govgraph-target/release/govgraph), in memory, on a free port, serving the
// playground embedded in the binary or the files of GOVGRAPH_PLAYGROUND_DIR when that is set.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const BIN = process.env.GOVGRAPH_BIN || '/root/.cache/govgraph-target/release/govgraph';
const PLAYGROUND_DIR = process.env.GOVGRAPH_PLAYGROUND_DIR || '';

export function startServer(extra = []) {
  if (!existsSync(BIN)) {
    throw new Error(`govgraph binary not found at ${BIN}: build it (cargo build --release) or set GOVGRAPH_BIN`);
  }
  const args = ['serve', '--memory', '--bind', '127.0.0.1:0', ...extra];
  if (PLAYGROUND_DIR) args.push('--playground-dir', resolve(PLAYGROUND_DIR));
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL')); // never leave it running
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const origin = new Promise((resolveOrigin, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`govgraph did not print "listening on" within 60 s; stderr:\n${stderr}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const m = /listening on (https?:\/\/[^\s/]+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolveOrigin(m[1]);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`govgraph exited early (code ${code}, signal ${signal}); stderr:\n${stderr}`));
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return { child, origin };
}

/** SIGTERM, then SIGKILL if the server is still running after 5 s. */
export async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
