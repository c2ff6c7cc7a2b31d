#!/usr/bin/env bash
# VS Code test: install the .vsix into a fresh code-server (the real VS Code workbench), open
# testdata/editors/demo.yaml in headless Chromium and check the Problems panel, hover and completion.
# Usage: run.sh SERVER_BINARY VSIX WORKDIR SCREENSHOT   (tools from editors/test/node_modules)
set -u
SERVER=$1 VSIX=$2 W=$3 SHOT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
TOOLS=$(cd "$HERE/.." && pwd)/node_modules
CS=$TOOLS/.bin/code-server
D=$W/vscode
rm -rf "$D" && mkdir -p "$D/ud/User" "$D/exts" "$D/home" "$D/ws"
cp "$HERE/../../../testdata/editors/demo.yaml" "$D/ws/demo.yaml"
printf 'name: not an AsyncAPI document\nlist:\n  - a\n' > "$D/ws/plain.yaml"
# the server is found the way most users have it after `go install .`: as asyncapi-ls in
# $HOME/go/bin, put on PATH by ~/.profile, with no asyncapi-ls.path setting (step 6 of workbench.js
# sets that in the Settings editor). code-server gives the extension host the PATH of a login shell
# (/etc/profile resets it), hence ~/.profile; PATH is exported too for a shell it cannot resolve.
mkdir -p "$D/home/go/bin" && ln -s "$SERVER" "$D/home/go/bin/asyncapi-ls"
printf 'PATH="$HOME/go/bin:$PATH"\nexport PATH\n' > "$D/home/.profile"
export PATH=$D/home/go/bin:$PATH
export HOME=$D/home XDG_CONFIG_HOME=$D/home/.config XDG_DATA_HOME=$D/home/.local/share XDG_CACHE_HOME=$D/home/.cache
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$D/cs-config.yaml"
node -e '
const [settings] = process.argv.slice(1);
require("fs").writeFileSync(settings, JSON.stringify({
  "workbench.startupEditor": "none", "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off", "update.mode": "none", "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false, "workbench.enableExperiments": false, "workbench.tips.enabled": false,
  "chat.disableAIFeatures": true, "git.enabled": false, "editor.autoIndent": "none", "[yaml]": { "editor.autoIndent": "none", "editor.insertSpaces": true },
  "editor.quickSuggestions": { "other": false, "comments": false, "strings": false },
  "editor.suggestOnTriggerCharacters": false,
  // screenshots never mid-animation: no motion, no blinking cursor, no smooth scrolling; mouse hovers
  // wait the longest valid delay (10 s; the tests open hovers with the keyboard)
  "workbench.reduceMotion": "on", "editor.hover.delay": 10000, "editor.cursorBlinking": "solid",
  "editor.smoothScrolling": false, "workbench.list.smoothScrolling": false,
  "workbench.colorTheme": "Default Light Modern", "window.commandCenter": false,
  "asyncapi-ls.trace.server": "verbose"
}, null, 1));' "$D/ud/User/settings.json"

"$CS" --config "$D/cs-config.yaml" --user-data-dir "$D/ud" --extensions-dir "$D/exts" \
  --install-extension "$VSIX" > "$D/install.log" 2>&1 || { cat "$D/install.log"; echo "vsix install failed"; exit 10; }

# a free port: code-server reports the one it bound, but only in its log
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
setsid "$CS" --config "$D/cs-config.yaml" --auth none --bind-addr "127.0.0.1:$PORT" \
  --user-data-dir "$D/ud" --extensions-dir "$D/exts" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --ignore-last-opened > "$D/cs.log" 2>&1 &
CSPID=$!
# kill code-server with its extension hosts and language servers (its own process group)
trap 'kill -- -$CSPID 2>/dev/null; sleep 0.5; kill -9 -- -$CSPID 2>/dev/null' EXIT
for _ in $(seq 150); do node -e 'require("http").get(process.argv[1],r=>process.exit(r.statusCode===200?0:1)).on("error",()=>process.exit(1))' "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

SERVER=$SERVER PLAIN_FILE=plain.yaml LOGS=$D/ud/logs SETTINGS=$D/ud/User/settings.json CS_URL=http://127.0.0.1:$PORT FOLDER=$D/ws FILE=demo.yaml OUT=$D/result.json SHOT=$SHOT \
  EXPECT=$HERE/../expect.json NODE_PATH=$TOOLS timeout 360 node "$HERE/workbench.js"
rc=$?
if [ $rc -ne 0 ]; then
  echo "--- code-server log (tail)"; tail -20 "$D/cs.log"
  echo "--- extension host / language server output (tail)"
  find "$D/ud/logs" -name '*AsyncAPI*' -exec tail -40 {} \; 2>/dev/null
fi
exit $rc
