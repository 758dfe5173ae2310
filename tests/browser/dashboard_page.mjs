// Opens the dashboard in headless Chromium over the DevTools protocol on a pipe (no npm
// packages), waits until the live figures appear, checks that they change, and saves a
// screenshot. Usage: node dashboard_page.mjs URL SCREENSHOT.png [CHROMIUM]
// Exit 0 when the page is live; 1 with the reason otherwise.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const [url, screenshot, chromium = '/usr/bin/chromium'] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'orderflow-chromium-'));
const browser = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', `--user-data-dir=${profile}`,
  '--remote-debugging-pipe', '--window-size=1440,1100', 'about:blank',
], {stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe']});
let stderr = '';
browser.stderr.on('data', (d) => { stderr += d; });

// CDP over fds 3 (to the browser) and 4 (from it): NUL-terminated JSON messages.
const toBrowser = browser.stdio[3], fromBrowser = browser.stdio[4];
let nextId = 1, buffer = '';
const pending = new Map();
fromBrowser.on('data', (chunk) => {
  buffer += chunk.toString('utf8');
  let end;
  while ((end = buffer.indexOf('\0')) >= 0) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.id && pending.has(message.id)) {
      const {resolve, reject} = pending.get(message.id);
      pending.delete(message.id);
      message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result);
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  toBrowser.write(JSON.stringify({id, method, params, ...(sessionId ? {sessionId} : {})}) + '\0');
  return new Promise((resolve, reject) => pending.set(id, {resolve, reject}));
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fail(reason) {
  console.error(`dashboard_page: ${reason}`);
  if (stderr) console.error(stderr.split('\n').slice(-10).join('\n'));
  cleanup(1);
}
let exiting = false;
function cleanup(code) {
  if (exiting) return;
  exiting = true;
  // Remove the profile only once Chromium is gone: it writes there until it exits.
  const done = () => {
    try { rmSync(profile, {recursive: true, force: true, maxRetries: 5}); } catch (e) { /* a tmp dir */ }
    process.exit(code);
  };
  if (browser.exitCode !== null || browser.signalCode !== null) return done();
  browser.once('exit', done);
  browser.kill('SIGKILL');
}
setTimeout(() => fail('timed out after 60 s'), 60000);

const FIGURES = ['produced-eps', 'processed-eps', 'invalid-share', 'e2e', 'lag-total', 'brokers',
  'kpi-revenue', 'kpi-orders', 'kpi-aov'];

async function main() {
  const {targetId} = await send('Target.createTarget', {url: 'about:blank'});
  const {sessionId} = await send('Target.attachToTarget', {targetId, flatten: true});
  const evaluate = async (expression) =>
    (await send('Runtime.evaluate', {expression, returnByValue: true}, sessionId)).result.value;
  await send('Page.enable', {}, sessionId);
  await send('Page.navigate', {url}, sessionId);
  const read = () => evaluate(`JSON.stringify({updated: document.body.dataset.updated || '',
    status: document.getElementById('status') ? document.getElementById('status').textContent : '',
    figures: Object.fromEntries(${JSON.stringify(FIGURES)}.map((id) => [id, (document.getElementById(id) || {}).textContent]))})`)
    .then((s) => JSON.parse(s || '{}'));

  // 1. Every figure shows a value (not the placeholder) within 30 s.
  let first;
  for (let i = 0; i < 60; i++) {
    first = await read();
    if (first.updated && FIGURES.every((id) => first.figures[id] && first.figures[id] !== '–')) break;
    await sleep(500);
  }
  const missing = FIGURES.filter((id) => !first.figures || !first.figures[id] || first.figures[id] === '–');
  if (missing.length) return fail(`figures never appeared: ${missing.join(', ')}; page: ${JSON.stringify(first)}`);
  console.log('first:', JSON.stringify(first));

  // 2. The page is live: the update stamp and the business figures move.
  let second;
  for (let i = 0; i < 20; i++) {
    await sleep(500);
    second = await read();
    if (second.updated !== first.updated && second.figures['kpi-orders'] !== first.figures['kpi-orders']) break;
  }
  console.log('second:', JSON.stringify(second));
  if (second.updated === first.updated) return fail('the page stopped updating');
  if (second.figures['kpi-orders'] === first.figures['kpi-orders']) return fail('orders this minute did not change');

  await sleep(1500);  // let the charts get a few more points for the picture
  const shot = await send('Page.captureScreenshot', {format: 'png', captureBeyondViewport: true}, sessionId);
  writeFileSync(screenshot, Buffer.from(shot.data, 'base64'));
  console.log(`screenshot: ${screenshot}`);
  cleanup(0);
}
main().catch((e) => fail(e.stack || String(e)));
