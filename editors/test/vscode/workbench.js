// Drives the real VS Code workbench (code-server) in headless Debian Chromium with playwright-core:
// opens demo.yaml and reads back what the user sees: the Problems panel, the hover, the suggest
// widget, the inserted completion text, the "AsyncAPI: Show Effective Security" preview and the
// "AsyncAPI Security" view in the Explorer.
// Env: CS_URL, FOLDER, FILE, OUT (result JSON), SHOT (screenshot PNG), EXPECT (expect.json).
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const E = JSON.parse(fs.readFileSync(process.env.EXPECT, 'utf8'));
const { CS_URL, FOLDER, FILE, OUT, SHOT } = process.env;
const T = +(process.env.TIMEOUT_MS || 90000);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const result = { blocked: [], checks: [] };
const check = (ok, what) => { result.checks.push({ ok: !!ok, what }); console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`); return ok; };

async function poll(fn, ms, every = 250) {
  const deadline = Date.now() + ms;
  let v;
  while (Date.now() < deadline) { v = await fn(); if (v) return v; await sleep(every); }
  return v;
}

// The Outline pane of the Explorer: every expected entry (level, name, detail) is shown, and
// clicking an entry puts the cursor on its key (status bar position and the line under the cursor).
async function outlineChecks(page, key) {
  const O = E.outline;
  await key('Control+Shift+E');
  const pane = '.pane:has(.pane-header[aria-label*="Outline"])';
  await page.waitForSelector(`${pane} .pane-header`, { timeout: 20000 });
  if (await page.$(`${pane} .pane-header[aria-expanded="false"]`)) await page.click(`${pane} .pane-header`, { timeout: 20000 });
  // the list renders only the rows in view: collapse the Explorer's other sections to make room
  for (const h of await page.$$('.sidebar .pane-header[aria-expanded="true"]')) {
    if (!((await h.getAttribute('aria-label')) || '').includes('Outline')) await h.click({ timeout: 20000 });
  }
  const rows = () => page.$$eval(`${pane} .monaco-list-row`, rs => rs.map(r => ({
    name: (r.querySelector('.label-name') || r).innerText.trim(),
    detail: ((r.querySelector('.label-description') || {}).innerText || '').trim(),
    level: +r.getAttribute('aria-level'),
    // problems inside the symbol's range: a count on the symbol, a dot on its parents (hidden
    // decorations keep their old text: rows are recycled)
    problems: (d => !d || getComputedStyle(d).display === 'none' ? '' : d.classList.contains('bubble') ? '●' : d.innerText.trim())(
      r.querySelector('.outline-element-decoration')),
  }))).catch(() => []);
  const show = r => `${'  '.repeat(Math.max(0, r.level - 1))}${r.name}${r.detail ? ` — ${r.detail}` : ''}`;
  const has = (rs, w) => rs.some(r => r.level === w.level && r.name === w.name && r.detail === w.detail);
  const shown = await poll(async () => { const rs = await rows(); return O.rows.every(w => has(rs, w)) && rs; }, 30000) || await rows();
  result.outline = shown.map(show);
  const missing = O.rows.filter(w => !has(shown, w));
  check(!missing.length, `the Outline view shows ${O.rows.length} entries with their details${missing.length
    ? ` (missing ${JSON.stringify(missing.map(show))}; shown ${JSON.stringify(result.outline)})` : ` (${JSON.stringify(result.outline)})`}`);

  const marked = shown.filter(r => r.problems).map(r => `${r.name}: ${r.problems}`);
  check(JSON.stringify(marked) === JSON.stringify(O.problems),
    `the Outline marks the entry whose range holds the error (want ${JSON.stringify(O.problems)}, got ${JSON.stringify(marked)})`);

  const breadcrumbs = () => page.$$eval('.editor-group-container .breadcrumbs-control .monaco-breadcrumb-item',
    is => is.map(i => i.innerText.trim())).catch(() => []);
  const status = () => page.$eval('#status\\.editor\\.selection', e => e.innerText).catch(() => '');
  // the line with the cursor in the editor group (the editor keeps its current-line overlay unfocused)
  const cursorLine = () => page.evaluate(() => {
    const ed = document.querySelector('.editor-group-container .monaco-editor');
    const cur = ed && ed.querySelector('.view-overlays .current-line');
    if (!cur) return null;
    const top = cur.parentElement.style.top;
    const vl = [...ed.querySelectorAll('.view-lines .view-line')].find(v => v.style.top === top);
    return vl ? vl.innerText.replace(/\u00a0/g, ' ') : null;
  });
  result.outline_clicks = {};
  for (const c of O.click) {
    const want = `Ln ${c.line + 1}, Col ${c.character + 1}`;
    let clicked = false;
    for (const r of await page.$$(`${pane} .monaco-list-row[aria-level="${c.level}"]`)) {
      if ((await r.$eval('.label-name', e => e.innerText.trim()).catch(() => '')) === c.name) { await r.click({ timeout: 20000 }); clicked = true; break; }
    }
    const st = await poll(async () => { const s = await status(); return s.includes(want) && s; }, 10000) || await status();
    const line = await cursorLine();
    const crumbs = await poll(async () => { const b = await breadcrumbs(); return JSON.stringify(b) === JSON.stringify(c.breadcrumbs) && b; }, 10000) || await breadcrumbs();
    result.outline_clicks[c.name] = { status: st, line, breadcrumbs: crumbs };
    check(clicked && st.includes(want) && line === c.text,
      `clicking ${c.name} in the Outline moves the cursor to ${want} ${JSON.stringify(c.text)} (clicked: ${clicked}; status ${JSON.stringify(st)}, line ${JSON.stringify(line)})`);
    check(JSON.stringify(crumbs) === JSON.stringify(c.breadcrumbs), `the breadcrumbs then read ${c.breadcrumbs.join(' › ')} (got ${JSON.stringify(crumbs)})`);
  }
  if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, '-outline.png') });
  // back to the editor, as the steps below expect
  await page.click('.editor-group-container .monaco-editor .view-lines', { timeout: 20000 });
}

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1'],
  });
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  await ctx.route('**/*', r => {
    const u = new URL(r.request().url());
    if (['127.0.0.1', 'localhost'].includes(u.hostname) || ['data:', 'blob:'].includes(u.protocol)) return r.continue();
    result.blocked.push(r.request().url()); return r.abort();
  });
  const page = await ctx.newPage();
  const key = k => page.keyboard.press(k);
  const goTo = async (lineCol) => { await key('Control+G'); await page.keyboard.type(lineCol); await key('Enter'); await sleep(200); };
  // text of the line with the cursor, as rendered (the current-line overlay shares its top with the view line)
  const currentLine = () => page.evaluate(() => {
    const cur = document.querySelector('.monaco-editor.focused .view-overlays .current-line') || document.querySelector('.monaco-editor .view-overlays .current-line');
    if (!cur) return null;
    const top = cur.parentElement.style.top;
    const vl = [...document.querySelectorAll('.monaco-editor.focused .view-lines .view-line')].find(v => v.style.top === top);
    return vl ? vl.innerText.replace(/\u00a0/g, ' ') : null;
  });
  const hoverText = () => page.evaluate(() => [...document.querySelectorAll('.monaco-hover-content')]
    .map(e => e.innerText.trim()).filter(Boolean).join('\n---\n'));
  try {
    await page.goto(`${CS_URL}/?folder=${encodeURIComponent(FOLDER)}`, { timeout: T });
    await page.waitForSelector('.monaco-workbench', { timeout: T });
    await page.waitForSelector('.explorer-folders-view, .part.sidebar', { timeout: T });
    result.workbench_ms = Date.now() - t0;
    const open = async (file) => {
      await key('Control+P');
      await page.waitForSelector('.quick-input-widget input', { timeout: T });
      await page.keyboard.type(file);
      await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${file}"]`, { timeout: T });
      await key('Enter');
      await page.waitForSelector(`.tabs-container .tab[aria-label*="${file}"]`, { timeout: T });
      await page.waitForSelector('.monaco-editor .view-lines', { timeout: T });
    };
    // a YAML file that is not AsyncAPI first: it activates the extension but must not reach the server
    // (Ctrl+K Enter keeps its tab open, so it is still open when the client starts)
    if (process.env.PLAIN_FILE) { await open(process.env.PLAIN_FILE); await key('Control+K'); await key('Enter'); await sleep(1000); }
    await open(FILE);

    // 1. Problems panel
    await key('Control+Shift+M');
    const D = E.diagnostic;
    const rows = () => page.$$eval('.markers-panel .monaco-list-row', rs => rs.map(r => ({ aria: r.getAttribute('aria-label') || '', text: r.innerText })));
    const markers = await poll(async () => { const m = await rows(); return m.some(x => (x.aria + x.text).includes(D.messageIncludes)) && m; }, T) || await rows();
    result.diagnostics_ms = Date.now() - t0;
    result.problems_panel = markers;
    const row = (markers || []).find(x => (x.aria + x.text).includes(D.messageIncludes));
    check(row, `Problems panel lists a diagnostic mentioning ${D.messageIncludes} (rows: ${JSON.stringify((markers || []).map(x => x.aria))})`);
    if (row) {
      check(row.text.includes(D.code), `the diagnostic carries code ${D.code} (row text ${JSON.stringify(row.text)})`);
      check(row.aria.includes(`at line ${D.line + 1} and character ${D.character + 1}`) || row.text.includes(`[Ln ${D.line + 1}, Col ${D.character + 1}]`),
        `the diagnostic is at line ${D.line + 1}, column ${D.character + 1} (1-based)`);
    }

    // 2. Hover (Show Hover = Ctrl+K Ctrl+I) at the first and last character of the operation key
    await page.click('.monaco-editor .view-lines');
    result.hovers = {};
    for (const c of [E.hover.character, E.hover.lastCharacter]) {
      await goTo(`${E.hover.line + 1}:${c + 1}`);
      await key('Control+K'); await key('Control+I');
      const text = await poll(hoverText, 20000);
      result.hovers[`${E.hover.line}:${c}`] = text || '';
      const missing = E.hover.includes.filter(s => !(text || '').includes(s));
      check(!missing.length, `hover at line ${E.hover.line + 1}, column ${c + 1} shows ${E.hover.includes.join(', ')}${missing.length ? ` (missing ${missing}; got ${JSON.stringify((text || '').slice(0, 300))})` : ''}`);
      if (c === E.hover.character && SHOT) await page.screenshot({ path: SHOT });
      await key('Escape'); await sleep(150);
    }

    // 2b. The Outline view (Explorer): the document's symbols from textDocument/documentSymbol, and a
    // click on an entry moves the cursor to its key (before the completion below edits the document)
    const tOutline = Date.now();
    await outlineChecks(page, key);
    result.outline_ms = Date.now() - tOutline;
    console.log(`  (the Outline step took ${result.outline_ms} ms)`);

    // 3. Completion on a new empty list item after the last requirement
    await goTo(`${E.completion.afterLine + 1}`);
    await key('End'); await key('Enter');                 // editor.autoIndent is "none": column 1
    await page.keyboard.type(E.completion.newLine);
    await sleep(300);
    const typed = await currentLine();
    check(typed === E.completion.newLine, `typed the new line ${JSON.stringify(E.completion.newLine)} (editor shows ${JSON.stringify(typed)})`);
    await key('Control+Space');
    const labels = await poll(async () => {
      const l = await page.$$eval('.suggest-widget.visible .monaco-list-row', rs => rs.map(r => {
        const n = r.querySelector('.label-name'); return n ? n.innerText.trim() : (r.getAttribute('aria-label') || '');
      }));
      return E.completion.labels.every(x => l.includes(x)) && l;
    }, 20000) || await page.$$eval('.suggest-widget .monaco-list-row', rs => rs.map(r => r.getAttribute('aria-label')));
    result.completion = labels;
    if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, '-completion.png') });
    for (const l of E.completion.labels) check((labels || []).includes(l), `suggest widget lists ${l} (got ${JSON.stringify(labels)})`);
    // accept the first expected item and read back the edited line
    const first = E.completion.labels[0];
    const index = (labels || []).indexOf(first);
    if (index >= 0) {
      for (let i = 0; i < index; i++) await key('ArrowDown');
      await key('Enter'); await sleep(400);
      const line = await currentLine();
      result.completed_line = line;
      const want = E.completion.insertTemplate.replace('<name>', first);
      check(line && line.includes(want), `accepting ${first} inserts ${want} (line now ${JSON.stringify(line)})`);
    } else check(false, `could not select ${first} in the suggest widget`);
    await key('Escape');

    // 4. Command palette: AsyncAPI: Show Effective Security (server command asyncapi-ls.effectiveSecurity)
    await key('Control+Shift+P');
    await page.waitForSelector('.quick-input-widget input', { timeout: T });
    await page.keyboard.type('AsyncAPI: Show Effective Security');
    await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="Show Effective Security"]', { timeout: 15000 });
    await key('Enter');
    const preview = await poll(async () => {
      for (const f of page.frames().filter(f => f !== page.mainFrame())) { // the preview is a webview
        const t = await f.evaluate(() => document.body ? document.body.innerText : '').catch(() => '');
        if (t.includes('Effective security') || t.includes('effective security')) return t;
      }
      const tabs = await page.$$eval('.tabs-container .tab', ts => ts.map(t => t.getAttribute('aria-label') || ''));
      return null && tabs;
    }, 20000);
    result.tabs = await page.$$eval('.tabs-container .tab', ts => ts.map(t => t.getAttribute('aria-label') || ''));
    result.effective_security_preview = preview ? preview.slice(0, 2000) : null;
    check(preview, `"AsyncAPI: Show Effective Security" opens a Markdown preview with the report (tabs: ${JSON.stringify(result.tabs)})`);
    if (preview) {
      // the preview is half the window wide: every operation's own security (the last column of the
      // old table) must be inside the visible width, not cut off
      const fit = await poll(async () => {
        for (const f of page.frames().filter(f => f !== page.mainFrame())) {
          const r = await f.evaluate(() => {
            const el = [...document.querySelectorAll('li, td')].find(e => e.innerText.includes('missingScheme'));
            if (!el) return null;
            const box = el.getBoundingClientRect();
            return { tag: el.tagName, right: Math.round(box.right), width: document.documentElement.clientWidth, tables: document.querySelectorAll('table').length, text: el.innerText };
          }).catch(() => null);
          if (r) return r;
        }
      }, 10000);
      result.preview_fit = fit || null;
      check(fit && fit.right <= fit.width && fit.tables === 0,
        `in the ${fit ? fit.width : '?'} px wide preview the operation security line is fully visible (${JSON.stringify(fit)})`);
    }
    if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, '-command.png') });

    // 5. The "AsyncAPI Security" view in the Explorer: the operations, and a click reveals the source
    await key('Escape');
    await key('Control+Shift+E');
    const pane = '.pane:has(.pane-header[aria-label*="AsyncAPI Security"])';
    await page.waitForSelector(`${pane} .pane-header`, { timeout: 20000 }).catch(() => null);
    if (await page.$(`${pane} .pane-header[aria-expanded="false"]`)) await page.click(`${pane} .pane-header`, { timeout: 20000 });
    const viewRows = () => page.$$eval(`${pane} .monaco-list-row`, rs => rs.map(r => ({
      label: (r.querySelector('.label-name') || r).innerText.trim(),
      description: (r.querySelector('.label-description') || {}).innerText || '',
      level: +r.getAttribute('aria-level'),
    }))).catch(() => []);
    const tree = await poll(async () => { const rs = await viewRows(); return rs.some(r => r.label === 'sendOrder') && rs.some(r => r.label === 'missingScheme') && rs; }, T) || await viewRows();
    result.security_view = tree;
    const treeRows = tree.map(r => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label}${r.description ? ` — ${r.description}` : ''}`);
    check(tree.some(r => r.label === 'sendOrder' && r.level === 1) && tree.some(r => r.label === 'server production')
      && tree.some(r => r.label === 'operation security') && tree.some(r => r.label === 'saslScram' && r.level === 4),
      `the AsyncAPI Security view shows operation sendOrder -> server production / operation security -> alternatives -> schemes (rows: ${JSON.stringify(treeRows)})`);
    const selection = () => page.$eval('#status\\.editor\\.selection', e => e.innerText).catch(() => '');
    const clickRow = async (label, level) => {
      // a tree item's tooltip left by the pointer (it rests where an earlier step put it) can lie
      // over the row to click: move the pointer off the workbench and let the tooltip go first
      await page.mouse.move(1, 1);
      await sleep(400);
      const rows = await page.$$(`${pane} .monaco-list-row[aria-level="${level}"]`);
      for (const r of rows) {
        if (((await r.$eval('.label-name', e => e.innerText.trim()).catch(() => '')) === label)) { await r.click({ timeout: 20000 }); return true; }
      }
      return false;
    };
    // the line holding the selection (no current-line highlight is drawn while text is selected)
    const selectedLine = () => page.evaluate(() => {
      const sel = document.querySelector('.monaco-editor.focused .view-overlays .selected-text');
      if (!sel) return null;
      const top = sel.parentElement.style.top;
      const vl = [...sel.closest('.monaco-editor').querySelectorAll('.view-lines .view-line')].find(v => v.style.top === top);
      return vl ? vl.innerText.replace(/\u00a0/g, ' ') : null;
    });
    for (const [label, level, wantLine, wantStatus] of [
      ['saslScram', 4, "      - $ref: '#/components/securitySchemes/saslScram'", 'Ln 10, Col 55 (46 selected)'],
      ['sendOrder', 1, '  sendOrder:', 'Ln 15, Col 12 (9 selected)']]) {
      const clicked = await clickRow(label, level);
      const sel = await poll(async () => { const t = await selection(); return t.includes(wantStatus) && t; }, 10000) || await selection();
      const line = await selectedLine();
      result[`reveal_${label}`] = { line, selection: sel };
      // startsWith: an inlay hint (the operation's effective security) may follow the key on its line
      check(clicked && line && line.startsWith(wantLine) && sel.includes(wantStatus),
        `clicking ${label} in the view selects its source in the editor (want ${JSON.stringify(wantLine)}, ${wantStatus}; got ${JSON.stringify(line)}, status ${JSON.stringify(sel)})`);
    }
    if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, '-security-view.png') });
    // the view follows edits: typing over the selected operation name renames it in the view
    await page.keyboard.type('placeOrder');
    const renamed = await poll(async () => { const rs = await viewRows(); return rs.some(r => r.label === 'placeOrder' && r.level === 1) && rs; }, 30000);
    check(renamed && !renamed.some(r => r.label === 'sendOrder'), `after renaming the operation in the editor the view shows placeOrder (rows: ${JSON.stringify((renamed || await viewRows()).filter(r => r.level === 1).map(r => r.label))})`);
    await key('Control+Z');
    await poll(async () => (await viewRows()).some(r => r.label === 'sendOrder'), 15000);

    // 5. severityOverrides changed in the user settings file: sent with didChangeConfiguration
    if (process.env.SETTINGS) {
      await key('Escape');
      // as a user would: Preferences: Open User Settings (JSON), edit, save
      // (code-server does not notice edits made to the file behind its back)
      const settings = JSON.parse(fs.readFileSync(process.env.SETTINGS, 'utf8'));
      settings['asyncapi-ls.severityOverrides'] = { [D.code]: 'warning' };
      await key('Control+Shift+P');
      await page.waitForSelector('.quick-input-widget input', { timeout: T });
      await page.keyboard.type('Preferences: Open User Settings (JSON)');
      await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="Open User Settings (JSON)"]', { timeout: 15000 });
      await key('Enter');
      await page.waitForSelector('.tabs-container .tab[aria-label*="settings.json"]', { timeout: 15000 });
      await sleep(500);
      await key('Control+A');
      await page.keyboard.insertText(JSON.stringify(settings, null, 1));
      await key('Control+Shift+End'); await key('Delete');   // brackets the editor auto-closed
      await key('Control+S');
      await sleep(300);
      const warned = await poll(async () => (await rows()).find(x => x.aria.startsWith('Warning') && (x.aria + x.text).includes(D.messageIncludes)), 20000);
      result.override_row = warned || null;
      check(warned, `severityOverrides {"${D.code}": "warning"} turns the Problems entry into a warning (rows: ${JSON.stringify((await rows()).map(x => x.aria))})`);
    }

    // 6. A wrong asyncapi-ls.path: the extension restarts and tells how to fix it
    if (process.env.SETTINGS) {
      await key('Escape');
      // as a user would: Settings editor, search the setting, type a new value
      await key('Control+Comma');
      await page.waitForSelector('.settings-editor .suggest-input-container textarea, .settings-editor .settings-header-widget textarea', { timeout: 20000 });
      await page.keyboard.type('asyncapi-ls.path');
      // asyncapi-ls.path is machine-overridable: in code-server (a remote window) it lives in the Remote tab
      const remoteTab = await page.waitForSelector('.settings-editor .settings-tabs-widget .action-label:has-text("Remote")', { timeout: 10000 }).catch(() => null);
      if (remoteTab) await remoteTab.click();
      // the input of asyncapi-ls.path in the Settings editor (also found again in 6b)
      const pathInput = () => page.waitForSelector('.settings-editor .setting-item-contents[data-key="asyncapi-ls.path"] input, .settings-editor .setting-item-string input', { timeout: 20000 });
      const input = await pathInput();
      await input.click();
      await input.fill('/nonexistent/asyncapi-ls');
      await key('Enter');
      const toast = await poll(() => page.evaluate(() => [...document.querySelectorAll('.notifications-toasts .notification-toast, .notification-list-item')]
        .map(e => e.innerText).find(t => t.includes('asyncapi-ls'))), 20000);
      result.not_found_notification = toast || null;
      const today = 'git clone https://github.com/asyncapi-ls/asyncapi-ls && cd asyncapi-ls && go install .';
      const published = 'go install github.com/asyncapi-ls/asyncapi-ls@latest';
      check(toast && toast.includes(today) && toast.includes(published) && toast.indexOf(today) < toast.indexOf(published)
        && toast.includes('once the module is published') && toast.includes('asyncapi-ls.path'),
        `a missing binary shows a notification that leads with the install route that works today (got ${JSON.stringify(toast)})`);
      if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, '-not-found.png') });

      // 6b. The right path set after the message: the server starts again without a retry or a
      // reload, and the Problems panel lists the diagnostic again (still a warning: the override)
      if (process.env.SERVER) {
        const right = await pathInput();
        await right.click();
        await right.fill(process.env.SERVER);
        await key('Enter');
        const back = await poll(async () => (await rows()).find(x => (x.aria + x.text).includes(D.messageIncludes)), T);
        check(back && back.aria.startsWith('Warning'), `setting asyncapi-ls.path to the binary after that starts the server: the Problems panel lists the warning again (rows: ${JSON.stringify((await rows()).map(x => x.aria))})`);
      }
    }
  } catch (e) {
    check(false, `workbench error: ${String(e.message || e).split('\n')[0]}`);
    if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, '-error.png') }).catch(() => {});
  }
  if (process.env.PLAIN_FILE && process.env.LOGS) {
    // the client's verbose trace (asyncapi-ls.trace.server) lists every didOpen with its URI
    const find = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap(e => e.isDirectory() ? find(`${d}/${e.name}`) : (e.name.includes('AsyncAPI') ? [`${d}/${e.name}`] : []));
    const trace = find(process.env.LOGS).map(f => fs.readFileSync(f, 'utf8')).join('\n');
    const opened = [...trace.matchAll(/textDocument\/didOpen'[\s\S]*?"uri": "([^"]+)"/g)].map(m => m[1]);
    result.opened_on_server = opened;
    check(result.tabs && result.tabs.some(t => t.includes(process.env.PLAIN_FILE)), `${process.env.PLAIN_FILE} stayed open next to ${FILE} (tabs: ${JSON.stringify(result.tabs)})`);
    check(opened.some(u => u.endsWith(`/${FILE}`)) && !opened.some(u => u.endsWith(`/${process.env.PLAIN_FILE}`)),
      `only the AsyncAPI document is sent to the server, not ${process.env.PLAIN_FILE} (didOpen: ${JSON.stringify(opened)})`);
  }
  check(result.blocked.length === 0, `no request left localhost (blocked: ${JSON.stringify(result.blocked)})`);
  result.ok = result.checks.every(c => c.ok);
  result.total_ms = Date.now() - t0;
  fs.writeFileSync(OUT, JSON.stringify(result, null, 1));
  await browser.close();
  process.exit(result.ok ? 0 : 1);
})();
