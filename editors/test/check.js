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
