// End-to-end runner: a real motcua server on a fresh demo store, Debian's Chromium driven by
// playwright-core, every e2e/*.e2e.mjs file in turn.
//
//   node e2e/run.mjs [filter]      (npm run e2e) — needs web/dist (npm run build) and the binary
//   MOTCUA_BIN=/path/to/motcua     default /work/main/build/src/cli/motcua
//   CHROMIUM=/usr/bin/chromium     the browser (never downloaded)
//   filter: only tests whose "file › name" contains it
//
// A test file exports `default async function (t)` and registers tests with
// `t.test(name, async (ctx) => { … })`. Tests run one after the other; a failure is reported
// with its name and the process exits 1. The last line is "N passed, N failed".
// ctx (one per test):
//   ctx.base            http://127.0.0.1:<port>
//   ctx.creds           <store>/credentials.json ({officers, citizens, tokens})
//   ctx.page()          a new page in a new browser context (own cookies); console errors other
//                       than expected 4xx resource loads and page errors fail the test
//   ctx.signIn(page, login, password, totpSecret?)   through the sign-in form
//   ctx.totp(secret)    a fresh RFC 6238 code (each code is used once, as the server demands)
//   ctx.apiSession(login, password, totpSecret?) → {get, post, put, del, csrf} for setting up
//   ctx.axe(page)       runs axe-core (WCAG 2.1 AA tags) in the page; returns violations
//   ctx.assertNoSeriousAxe(page, label)
//   ctx.shot(page, name) a PNG in web/test-artifacts/
//   ctx.pdf(text)       bytes of a small valid PDF
//   ctx.assert          node:assert/strict
//   ctx.gateway         http://127.0.0.1:<port> of the stand-in payment gateway and bank
//                       (motcua-gateway), or null when it could not be started
//   ctx.requireGateway() ctx.gateway, or throws saying why there is none (payment tests fail)
//
// The stand-in gateway: MOTCUA_GATEWAY_BIN, default <dirname(MOTCUA_BIN)>/../pay/motcua-gateway.
// "motcua demo" writes <store>/payment.json (motcua.payment/1); the runner points its URLs at the
// ports of this run (gateway page, IPN, return, bank notification) before starting the server
// and the gateway with it. Without payment.json or the binary the other tests still run.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const dist = join(webDir, 'dist');
const artifacts = join(webDir, 'test-artifacts');
const BIN = process.env.MOTCUA_BIN || '/work/main/build/src/cli/motcua';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const GATEWAY_BIN = process.env.MOTCUA_GATEWAY_BIN || resolve(dirname(BIN), '..', 'pay', 'motcua-gateway');
const filter = process.argv[2] || '';

function fail(msg) {
  console.error(`e2e: ${msg}`);
  process.exit(2);
}

if (!existsSync(join(dist, 'index.html'))) fail(`no ${dist}/index.html: run "npm run build" first`);
if (!existsSync(BIN)) fail(`no motcua binary at ${BIN} (set MOTCUA_BIN)`);
if (!existsSync(CHROMIUM)) fail(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
mkdirSync(artifacts, { recursive: true });

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// ---- TOTP (RFC 6238: HMAC-SHA1, 30 s, 6 digits) -------------------------------------------
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`bad base32 character ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpAt(secret, counter) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

// The server accepts one step of skew each side and only counters above the last one it
// accepted for the account (RFC 6238 §5.2). So each secret's codes go up: the current step, or
// the one after the last used when that is later (waiting if it is beyond the window).
const lastStep = new Map();
async function totp(secret) {
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / 30);
    const step = Math.max(now, (lastStep.get(secret) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(secret, step);
      return totpAt(secret, step);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// ---- A small valid PDF ------------------------------------------------------------------------
function pdf(text = 'motcua e2e') {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 18 Tf 20 70 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  objs[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let body = '%PDF-1.4\n';
  const offsets = [];
  objs.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

// ---- Server -------------------------------------------------------------------------------------
const store = mkdtempSync(join(tmpdir(), 'motcua-e2e-'));
let server = null;
let gatewayProc = null;
let browser = null;

async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      r();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(t);
      r();
    });
  });
}

async function cleanup() {
  if (browser) await browser.close().catch(() => undefined);
  await stop(server);
  await stop(gatewayProc);
  rmSync(store, { recursive: true, force: true });
}

process.on('SIGINT', () => cleanup().then(() => process.exit(130)));

const t0 = Date.now();
// A fixed seed and a fixed, past end date: the same demo province on every run, whatever the
// day (the demo otherwise runs up to today, so its dossiers' states would change daily).
const demo = spawnSync(BIN, ['demo', '--dir', store, '--dossiers', '200', '--seed', '1', '--until', '2026-11-20'], {
  encoding: 'utf8',
});
if (demo.status !== 0) {
  rmSync(store, { recursive: true, force: true });
  fail(`"motcua demo" failed (${demo.status}): ${demo.stderr || demo.stdout}`);
}
const creds = JSON.parse(readFileSync(join(store, 'credentials.json'), 'utf8'));
// "motcua demo" enrolled each officer with the code of its own moment: count it as used.
const demoStep = Math.floor(Date.now() / 1000 / 30);
for (const o of creds.officers ?? []) if (o.totp_secret) lastStep.set(o.totp_secret, demoStep);
// Serve a copy of the build: a rebuild of web/dist during the run must not pull files away.
const staticDir = join(store, 'static');
cpSync(dist, staticDir, { recursive: true });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;

// ---- Payment settings and the stand-in gateway ---------------------------------------------------
// payment.json is rewritten before the server starts (it reads it once): the gateway's page on the
// gateway's port, and our own IPN, return and bank-notification addresses on the server's.
const paymentFile = join(store, 'payment.json');
let gatewayPort = 0;
let gatewayProblem = '';
if (!existsSync(paymentFile)) {
  gatewayProblem = `"motcua demo" wrote no ${paymentFile} (backend without online payment, issue #7)`;
} else if (!existsSync(GATEWAY_BIN)) {
  gatewayProblem = `no stand-in gateway at ${GATEWAY_BIN} (build motcua-gateway or set MOTCUA_GATEWAY_BIN)`;
} else {
  try {
    const cfg = JSON.parse(readFileSync(paymentFile, 'utf8'));
    if (!cfg.gateway || !cfg.bank) throw new Error('no "gateway" or "bank" object');
    gatewayPort = await freePort();
    cfg.gateway.url = `http://127.0.0.1:${gatewayPort}/paymentv2/vpcpay.html`;
    cfg.gateway.ipn_url = `${base}/api/v1/payments/gateway/ipn`;
    cfg.gateway.return_url = `${base}/api/v1/payments/gateway/return`;
    cfg.bank.notify_url = `${base}/api/v1/payments/bank/notify`;
    writeFileSync(paymentFile, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
    chmodSync(paymentFile, 0o600); // the mode of writeFileSync applies to new files only
  } catch (e) {
    gatewayProblem = `cannot rewrite ${paymentFile}: ${e.message}`;
    gatewayPort = 0;
  }
}
let gateway = null; // its base URL once it answers
const gatewayLog = [];

async function startGateway() {
  if (!gatewayPort) return;
  gatewayProc = spawn(GATEWAY_BIN, ['--listen', `127.0.0.1:${gatewayPort}`, '--config', paymentFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gatewayProc.stderr.on('data', (b) => gatewayLog.push(String(b)));
  const exited = new Promise((r) => gatewayProc.once('exit', (code, sig) => r(`exited (${code ?? sig})`)));
  gatewayProc.on('error', (e) => gatewayLog.push(`spawn: ${e.message}\n`));
  const listening = new Promise((r) => {
    let out = '';
    gatewayProc.stdout.on('data', (b) => {
      out += String(b);
      gatewayLog.push(String(b));
      const nl = out.indexOf('\n');
      if (nl >= 0) r(out.slice(0, nl).trim());
    });
  });
  const first = await Promise.race([
    listening,
    exited,
    new Promise((r) => setTimeout(() => r('no "listening" line in 10 s'), 10000)),
  ]);
  if (first !== `listening 127.0.0.1:${gatewayPort}`) {
    gatewayProblem = `motcua-gateway did not start: ${first}; ${gatewayLog.join('').slice(-1500)}`;
    await stop(gatewayProc);
    return;
  }
  const url = `http://127.0.0.1:${gatewayPort}`;
  const r = await fetch(`${url}/healthz`).catch((e) => ({ ok: false, status: e.message }));
  if (!r.ok) {
    gatewayProblem = `motcua-gateway /healthz answered ${r.status}`;
    return;
  }
  gateway = url;
}

const serverLog = [];
server = spawn(BIN, ['serve', '--dir', store, '--listen', `127.0.0.1:${port}`, '--static', staticDir], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
server.stdout.on('data', (b) => serverLog.push(String(b)));
server.stderr.on('data', (b) => serverLog.push(String(b)));

async function waitHealthy() {
  const until = Date.now() + 20000;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`server exited: ${serverLog.join('').slice(-2000)}`);
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy in 20 s');
}

// ---- API session for test set-up (node fetch, cookie kept by hand) -----------------------------
async function apiSession(login, password, totpSecret) {
  const body = { login, password };
  if (totpSecret) body.totp = await totp(totpSecret);
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const j = await r.json();
  if (r.status !== 201) throw new Error(`sign-in of ${login} failed: ${r.status} ${JSON.stringify(j)}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const call = async (method, path, data) => {
    const headers = { Cookie: cookie, 'X-CSRF-Token': j.csrf_token };
    if (data !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(base + path, {
      method,
      headers,
      body: data === undefined ? undefined : JSON.stringify(data),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return parsed;
  };
  return {
    csrf: j.csrf_token,
    account: j.account,
    get: (p) => call('GET', p),
    post: (p, d) => call('POST', p, d ?? {}),
    put: (p, d) => call('PUT', p, d),
    del: (p) => call('DELETE', p),
  };
}

// ---- Browser helpers ----------------------------------------------------------------------------
const axeSource = readFileSync(join(webDir, 'node_modules/axe-core/axe.min.js'), 'utf8');

async function axe(page) {
  // page.evaluate runs outside the page's CSP, so the page keeps its real policy.
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
}

async function assertNoSeriousAxe(page, label) {
  const v = await axe(page);
  const bad = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
  const minor = v.filter((x) => !bad.includes(x));
  if (minor.length) console.log(`    axe (${label}): minor: ${minor.map((x) => `${x.id}(${x.impact})`).join(', ')}`);
  assert.equal(bad.length, 0, `axe ${label}: ${JSON.stringify(bad, null, 1)}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

function failedShot(name) {
  return join(artifacts, `FAILED-${name.replace(/[^\w-]+/g, '_')}.png`);
}

function makeCtx(errors) {
  const contexts = [];
  return {
    base,
    creds,
    assert,
    totp,
    pdf,
    apiSession,
    axe,
    assertNoSeriousAxe,
    shot,
    contexts,
    gateway,
    requireGateway() {
      if (!gateway) throw new Error(`no stand-in payment gateway: ${gatewayProblem || 'not started'}`);
      return gateway;
    },
    async page(opts = {}) {
      const context = await browser.newContext({
        baseURL: base,
        viewport: opts.viewport ?? { width: 1280, height: 900 },
        locale: opts.locale ?? 'vi-VN',
        timezoneId: opts.timezoneId ?? 'Europe/Paris', // not Vietnam: dates must still be UTC+7
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10000);
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        // A failed API call (401 before sign-in, a refused lookup…) logs a resource error; the
        // tests check those answers themselves.
        if (/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
        errors.push(`console error: ${m.text()}`);
      });
      return page;
    },
    async signIn(page, login, password, totpSecret) {
      await page.goto('/#/dang-nhap');
      await page.fill('input[name=login]', login);
      await page.fill('input[name=password]', password);
      await page.click('button[type=submit]');
      if (totpSecret) {
        await page.waitForSelector('input[name=totp]');
        await page.fill('input[name=totp]', await totp(totpSecret));
        await page.click('button[type=submit]');
      }
      await page.waitForFunction(() => !location.hash.startsWith('#/dang-nhap'));
    },
  };
}

// ---- Run ------------------------------------------------------------------------------------------
let passed = 0;
let failed = 0;
const failures = [];
try {
  await waitHealthy();
  console.log(`e2e: server on ${base} (store ${store}, ready in ${Date.now() - t0} ms)`);
  await startGateway();
  console.log(gateway ? `e2e: stand-in payment gateway on ${gateway}` : `e2e: no payment gateway: ${gatewayProblem}`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.e2e.mjs'))
    .sort();
  for (const file of files) {
    const tests = [];
    const mod = await import(pathToFileURL(join(here, file)).href);
    await mod.default({ test: (name, fn) => tests.push({ name, fn }) });
    for (const { name, fn } of tests) {
      const full = `${file.replace('.e2e.mjs', '')} › ${name}`;
      if (filter && !full.includes(filter)) continue;
      const errors = [];
      const ctx = makeCtx(errors);
      const started = Date.now();
      try {
        await fn(ctx);
        if (errors.length) throw new Error(`browser errors:\n  ${errors.join('\n  ')}`);
        passed++;
        console.log(`ok - ${full} (${Date.now() - started} ms)`);
        rmSync(failedShot(full), { force: true }); // a stale picture of an earlier failure
      } catch (e) {
        failed++;
        failures.push(full);
        console.log(`not ok - ${full}\n  ${String(e?.stack ?? e).split('\n').join('\n  ')}`);
        for (const c of ctx.contexts) {
          for (const p of c.pages()) {
            await p
              .screenshot({ path: failedShot(full), fullPage: true })
              .catch(() => undefined);
          }
        }
      } finally {
        for (const c of ctx.contexts) await c.close().catch(() => undefined);
      }
    }
  }
} catch (e) {
  failed++;
  failures.push('(runner)');
  console.log(`not ok - runner\n  ${e?.stack ?? e}`);
} finally {
  await cleanup();
}
if (passed + failed === 0) {
  console.log(`no test ran${filter ? ` (filter "${filter}")` : ''}`);
  failed = 1;
}
if (failures.length) console.log(`failed: ${failures.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
