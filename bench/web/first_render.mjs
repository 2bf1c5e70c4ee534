// The web front end's weight and speed (issue #5): the size of what the portal's first page
// loads (JavaScript and CSS, raw and gzip-compressed, against the 200 KB budget for JavaScript),
// and the time to first render of the home page in headless Chromium, with the server's own
// built-in page (no JavaScript at all) measured side by side as the baseline.
//
//   node bench/web/first_render.mjs [--runs N] [--bin PATH]      (after scripts/web.sh build)
//
// Each run opens a fresh browser context (empty cache) on a real `motcua serve` over loopback
// and reads the Paint Timing API's first-contentful-paint, then waits for the catalogue's result
// count to appear (the home page is usable: procedures fetched and listed). Figures are medians.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const web = join(root, 'web');
const dist = join(web, 'dist');
const require = createRequire(join(web, 'package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const RUNS = Number(opt('--runs', '7'));
const BIN = resolve(opt('--bin', join(root, 'build', 'src', 'cli', 'motcua')));
const BUDGET = 200 * 1024;

if (!existsSync(join(dist, 'index.html'))) throw new Error('no web/dist: run scripts/web.sh build');
if (!existsSync(BIN)) throw new Error(`no motcua binary at ${BIN}`);

// ---- bundle size: what index.html loads, and everything built -------------------------------
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const firstPage = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const sizeOf = (rel) => {
  const bytes = readFileSync(join(dist, rel));
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
};
const sum = (files, ext) =>
  files.filter((f) => f.endsWith(ext)).map(sizeOf).reduce((a, b) => ({ raw: a.raw + b.raw, gz: a.gz + b.gz }), { raw: 0, gz: 0 });
const all = readdirSync(join(dist, 'assets')).map((f) => `assets/${f}`);
const kb = (n) => (n / 1024).toFixed(1);
const firstJs = sum(firstPage, '.js');
const firstCss = sum(firstPage, '.css');
const allJs = sum(all, '.js');
console.log('bundle (web/dist):');
console.log(`  first page JavaScript: ${kb(firstJs.raw)} KB raw, ${kb(firstJs.gz)} KB gzip  (budget ${kb(BUDGET)} KB gzip: ${((firstJs.gz / BUDGET) * 100).toFixed(1)} % used)`);
console.log(`  first page CSS:        ${kb(firstCss.raw)} KB raw, ${kb(firstCss.gz)} KB gzip`);
console.log(`  all JavaScript (officer and admin chunks load on demand): ${kb(allJs.raw)} KB raw, ${kb(allJs.gz)} KB gzip in ${all.filter((f) => f.endsWith('.js')).length} files`);

// ---- first render --------------------------------------------------------------------------
const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

const dir = mkdtempSync(join(tmpdir(), 'motcua-web-bench-'));
const demo = spawnSync(BIN, ['demo', '--dir', dir, '--dossiers', '200', '--seed', '1'], { encoding: 'utf8' });
if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);

async function serve(staticDir) {
  const port = await freePort();
  const a = ['serve', '--dir', dir, '--listen', `127.0.0.1:${port}`, '--threads', '2'];
  if (staticDir) a.push('--static', staticDir);
  // Without --static and without ./web/dist, the server answers "/" with its built-in page.
  const child = spawn(BIN, a, { cwd: staticDir ? root : dir, stdio: ['ignore', 'ignore', 'pipe'] });
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (r.ok) return { child, base: `http://127.0.0.1:${port}` };
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('server did not start');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
});

async function measure(base, readySelector) {
  const fcp = [], ready = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await ctx.newPage();
    await page.goto(base + '/', { waitUntil: 'load' });
    if (readySelector) {
      await page.waitForFunction((sel) => {
        const el = document.querySelector(sel);
        return el && el.textContent.trim().length > 0;
      }, readySelector, { timeout: 15000 });
      ready.push(await page.evaluate(() => performance.now()));
    }
    const paint = await page.evaluate(async () => {
      for (let k = 0; k < 100; k++) {
        const e = performance.getEntriesByName('first-contentful-paint')[0];
        if (e) return e.startTime;
        await new Promise((r) => setTimeout(r, 20));
      }
      return NaN;
    });
    fcp.push(paint);
    await ctx.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { fcp: median(fcp), ready: ready.length ? median(ready) : NaN };
}

// One server at a time: a store has one writing process (the SQLite file lock).
let b, p;
const stop = (s) =>
  new Promise((res) => {
    s.child.on('exit', res);
    s.child.kill('SIGTERM');
  });
try {
  const baseline = await serve(null);
  await measure(baseline.base, null);  // warm-up (Chromium's first process) outside the figures
  b = await measure(baseline.base, null);
  await stop(baseline);
  const portal = await serve(dist);
  await measure(portal.base, '[data-testid="result-count"]');
  p = await measure(portal.base, '[data-testid="result-count"]');
  await stop(portal);
  console.log(`first render, headless Chromium, median of ${RUNS} cold contexts:`);
  console.log(`  built-in page (baseline, no JS): first contentful paint ${b.fcp.toFixed(0)} ms`);
  console.log(`  portal home:                     first contentful paint ${p.fcp.toFixed(0)} ms  (${(p.fcp / b.fcp).toFixed(2)}× baseline)`);
  console.log(`  portal home, catalogue listed:   ${p.ready.toFixed(0)} ms after navigation start`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
