// The built docs site (`make docs`, _docs/) in a real browser: every page loads, asks nothing of the network, raises no
// script error, the search box finds pages, and three pages are screenshotted to look at.
//
//   apt-get install -y chromium; npm install --prefix /tmp/pw playwright-core@1.64.1
//   (cd _docs && python -m http.server 8765 &)
//   NODE_PATH=/tmp/pw/node_modules node tools/check_docs.js http://localhost:8765 /tmp/shots
//
// Prints one line of counts; exits 1 when a page fails to load, a request leaves the server or a script raises.
const { chromium } = require('playwright-core');
const fs = require('fs'), path = require('path');

const [base, shots = '/tmp/shots'] = process.argv.slice(2);
const SHOTS = { 'landing': 'index.html', 'method': 'nbs/method/22_difficulty.html',
                'artifact': 'results/confirm/mini/artifacts/tab2_ablations/tab2_ablations.html' };
const pages = dir => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
  const p = path.join(dir, e.name);
  return e.isDirectory() ? (e.name === 'assets' ? [] : pages(p)) : e.name.endsWith('.html') && e.name !== '404.html' ? [p] : [];
});

(async () => {
  if (!base) { console.error('usage: node tools/check_docs.js BASE_URL [SHOTS_DIR]'); process.exit(2); }
  const site = path.join(__dirname, '..', '_docs');
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const p = await b.newPage({ viewport: { width: 1400, height: 1100 } });
  let requests = 0; const outside = new Set(), errors = [], failed = [];
  p.on('request', r => { requests++; if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.add(r.url()); });
  p.on('pageerror', e => errors.push(e.message));
  const all = pages(site).map(f => path.relative(site, f)).sort();
  for (const rel of all) {
    const r = await p.goto(`${base}/${rel}`);
    if (!r || r.status() !== 200) failed.push(rel);
    await p.waitForTimeout(300);
  }
  fs.mkdirSync(shots, { recursive: true });
  for (const [name, rel] of Object.entries(SHOTS)) { await p.goto(`${base}/${rel}`); await p.screenshot({ path: path.join(shots, `${name}.png`) }); }
  await p.goto(`${base}/index.html`);                     // Material's search answers keystrokes, not a filled value
  await p.focus('input[data-md-component="search-query"]');
  await p.keyboard.type('permuted', { delay: 50 });
  await p.waitForSelector('.md-search-result__item', { timeout: 30000 });
  const found = await p.locator('.md-search-result__meta').innerText();
  await b.close();
  console.log(`${all.length} pages, ${requests} requests, ${outside.size} off ${base}, ${errors.length} script errors, ` +
              `${failed.length} not loaded; search "permuted": ${found}; screenshots in ${shots}`);
  for (const u of outside) console.log(`  off the server: ${u}`);
  for (const e of errors) console.log(`  script error: ${e}`);
  for (const f of failed) console.log(`  not loaded: ${f}`);
  process.exit(outside.size || errors.length || failed.length ? 1 : 0);
})().catch(e => { console.error(`check_docs: ${e.message.split('\n')[0]}`); process.exit(1); });
