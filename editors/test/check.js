// Checks a normalised editor result against the expectations of the editor tests.
// Usage: node check.js RESULT.json   (prints one line per check, exits 1 on failure)
// Result shape: { diagnostics: [{line, character, code, message}], hover: "markdown",
//                 completion: [{label, insert}], error?: string }
'use strict';
const fs = require('fs');
const E = require('./expect.json');
const r = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const fails = [];
const ok = (cond, what) => { if (!cond) fails.push(what); console.log(`  ${cond ? 'ok  ' : 'FAIL'} ${what}`); };
if (r.error) ok(false, `harness error: ${r.error}`);
const d = (r.diagnostics || []).find(x => x.code === E.diagnostic.code);
ok(!!d, `diagnostic ${E.diagnostic.code} published (got: ${JSON.stringify((r.diagnostics || []).map(x => `${x.code}@${x.line}:${x.character}`))})`);
if (d) {
  ok(d.line === E.diagnostic.line && d.character === E.diagnostic.character,
    `diagnostic at ${E.diagnostic.line}:${E.diagnostic.character} (0-based; got ${d.line}:${d.character})`);
  ok(d.message.includes(E.diagnostic.messageIncludes), `diagnostic message mentions ${E.diagnostic.messageIncludes} (got ${JSON.stringify(d.message)})`);
}
for (const [pos, text] of Object.entries(r.hovers || { [`${E.hover.line}:${E.hover.character}`]: r.hover })) {
  const missing = E.hover.includes.filter(s => !(text || '').includes(s));
  ok(missing.length === 0, `hover at ${pos} shows ${E.hover.includes.join(', ')}${missing.length ? ` (missing ${missing.join(', ')}; got ${JSON.stringify((text || '').slice(0, 200))})` : ''}`);
}
const items = r.completion || [];
for (const name of E.completion.labels) {
  const it = items.find(i => i.label === name);
  ok(!!it, `completion offers ${name} (got ${JSON.stringify(items.map(i => i.label))})`);
  if (it) {
    const want = E.completion.insertTemplate.replace('<name>', name);
    ok((it.insert || '').includes(want), `completion ${name} inserts ${want} (got ${JSON.stringify(it.insert)})`);
  }
}
if (E.nav && r.editor === 'nvim') {
  // rename and quick fix (Neovim): they need a server with renameProvider and codeActionProvider
  const N = E.nav, nav = r.nav || {};
  ok(!!r.nav, `the rename and quick-fix step ran on ${N.file}${r.nav ? '' : ' (it did not: NAV_FILE not set?)'}`);
  const caps = nav.capabilities || {};
  const text = (nav.rename || {}).lines || [];
  ok(!!caps.renameProvider, `the server advertises renameProvider (got ${JSON.stringify(caps.renameProvider)}${caps.renameProvider ? '' : '; rename needs a server with textDocument/rename'})`);
  if (caps.renameProvider) {
    const R = N.rename;
    ok(nav.rename.prompt_default === R.from, `the rename prompt at ${R.line}:${R.character} is prefilled with ${R.from} by prepareRename (got ${JSON.stringify(nav.rename.prompt_default)})`);
    const wrong = Object.entries(R.linesAfter).filter(([l, want]) => text[+l] !== want).map(([l, want]) => `line ${l}: want ${JSON.stringify(want)}, got ${JSON.stringify(text[+l])}`);
    ok(wrong.length === 0, `renaming ${R.from} to ${R.to} updates the key and all ${Object.keys(R.linesAfter).length - 1} $refs${wrong.length ? ` (${wrong.join('; ')})` : ''}`);
    const left = text.filter(l => l.includes(R.from));
    ok(text.length > 0 && left.length === 0, `no ${R.from} is left in the buffer (left: ${JSON.stringify(left)})`);
    ok(JSON.stringify(nav.rename.diagnostics_after) === JSON.stringify(nav.diagnostics_before),
      `the rename changes no diagnostic (before ${JSON.stringify(nav.diagnostics_before)}, after ${JSON.stringify(nav.rename.diagnostics_after)})`);
  }
  const Q = N.quickfix, qf = nav.quickfix || {};
  ok(!!caps.codeActionProvider, `the server advertises codeActionProvider (got ${JSON.stringify(caps.codeActionProvider)}${caps.codeActionProvider ? '' : '; quick fixes need a server with textDocument/codeAction'})`);
  if (caps.codeActionProvider) {
    ok(qf.diagnostic === Q.diagnostic, `the cursor is on the ${Q.code} diagnostic at ${Q.diagnostic.split('@')[1]} (got ${JSON.stringify(qf.diagnostic)})`);
    const offered = qf.offered || [];
    ok(offered.length > 0 && offered.every(a => a.kind === 'quickfix'),
      `code_action({only = {'quickfix'}}) offers quick fixes only (got ${JSON.stringify(offered.map(a => `${a.title} [${a.kind}]`))})`);
    ok(qf.applied === Q.title && offered.filter(a => a.preferred).length === 1,
      `the one preferred fix is ${JSON.stringify(Q.title)} and it was applied (got ${JSON.stringify(qf.applied)}; preferred ${JSON.stringify(offered.filter(a => a.preferred).map(a => a.title))})`);
    const got = (qf.lines || [])[Q.line];
    ok(got === Q.lineAfter, `after the fix line ${Q.line} reads ${JSON.stringify(Q.lineAfter)} (got ${JSON.stringify(got)})`);
    ok(Array.isArray(qf.diagnostics_after) && JSON.stringify(qf.diagnostics_after) === JSON.stringify(Q.diagnosticsAfter),
      `the fix removes the diagnostic (and the unused-scheme hint it caused): diagnostics now ${JSON.stringify(qf.diagnostics_after)}, want ${JSON.stringify(Q.diagnosticsAfter)}`);
  }
}
if ('override_severity' in r) {
  // 2 = Warning in LSP and in vim.diagnostic
  ok(r.override_severity === 2, `severityOverrides {"${E.diagnostic.code}": "warning"} sent with didChangeConfiguration turns it into a warning (severity now ${r.override_severity})`);
}
{
  // the message for a missing binary leads with the install route that works today
  const today = 'git clone https://github.com/asyncapi-ls/asyncapi-ls && cd asyncapi-ls && go install .';
  const published = 'go install github.com/asyncapi-ls/asyncapi-ls@latest';
  const m = r.not_found_message || '';
  ok(m.includes(today) && m.includes(published) && m.indexOf(today) < m.indexOf(published) && m.includes('once the module is published'),
    `a missing binary is reported with "${today}" first and "${published}" once published (got ${JSON.stringify(m)})`);
}
if (r.editor === 'nvim') {
  ok(r.omnifunc === 'v:lua.vim.lsp.omnifunc', `omnifunc is vim.lsp.omnifunc (got ${JSON.stringify(r.omnifunc)})`);
  ok(r.k_buffer_local === true, 'K is mapped in the buffer (not the global K, which runs man)');
  const missingK = E.hover.includes.filter(s => !(r.k_hover || '').includes(s));
  ok(missingK.length === 0, `pressing K on the operation opens the hover with ${E.hover.includes.join(', ')}${missingK.length ? ` (missing ${missingK.join(', ')}; got ${JSON.stringify((r.k_hover || '').slice(0, 200))})` : ''}`);
  const sec = r.security || {};
  ok(sec.shown && sec.buftype === 'nofile' && sec.filetype === 'markdown' && sec.modifiable === false,
    `:AsyncapiSecurity shows a read-only Markdown scratch buffer (got ${JSON.stringify({ name: sec.name, shown: sec.shown, buftype: sec.buftype, filetype: sec.filetype, modifiable: sec.modifiable })})`);
  const missingS = E.security.includes.filter(s => !(sec.text || '').includes(s));
  ok(missingS.length === 0, `the effective-security buffer lists ${E.security.includes.join(', ')}${missingS.length ? ` (missing ${missingS.join(', ')}; got ${JSON.stringify((sec.text || '').slice(0, 300))})` : ''}`);
}
process.exit(fails.length ? 1 : 0);
