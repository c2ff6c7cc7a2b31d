// Builds the asyncapi-ls server of this repository into bin/<platform>-<arch>/ so that
// `npm run package` ships it inside the .vsix (the extension prefers it over PATH).
// Cross-build: GOOS/GOARCH as usual, e.g. GOOS=darwin GOARCH=arm64 npm run bundle-server.
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');

const goos = process.env.GOOS || { win32: 'windows' }[process.platform] || process.platform;
const goarch = process.env.GOARCH || { x64: 'amd64', ia32: '386' }[process.arch] || process.arch;
const platform = { windows: 'win32' }[goos] || goos;
const arch = { amd64: 'x64', 386: 'ia32' }[goarch] || goarch;
const exe = goos === 'windows' ? 'asyncapi-ls.exe' : 'asyncapi-ls';
const out = path.join(__dirname, '..', 'bin', `${platform}-${arch}`, exe);
const root = path.join(__dirname, '..', '..', '..');
execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], {
  cwd: root, stdio: 'inherit', env: { ...process.env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0' },
});
console.log(`built ${path.relative(process.cwd(), out)} (vsce target: ${platform}-${arch})`);
