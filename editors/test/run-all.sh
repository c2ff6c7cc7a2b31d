#!/usr/bin/env bash
# Editor integration tests, headless, in real editors:
#   nvim        Neovim (Debian's 0.7) with editors/nvim
#   eglot       Emacs 28 batch + eglot with editors/emacs/asyncapi-ls.el
#   lsp-mode    Emacs 28 batch + lsp-mode with editors/emacs/asyncapi-ls.el
#   vscode      the editors/vscode .vsix in code-server (VS Code 1.100) driven by headless Chromium
# Each test opens testdata/editors/demo.yaml and checks a diagnostic (code, line, column,
# message), the effective-security hover on an operation and the completion of scheme names.
# nvim also renames a scheme and applies a quick fix in testdata/editors/nav.yaml; vscode also
# reads the Outline view and clicks its entries.
#
# Usage: bash editors/test/run-all.sh [nvim] [eglot] [lsp-mode] [vscode]   (default: all)
# Env:   CI=true           a missing tool is a FAIL, never a skip
#        ASYNCAPI_LS=PATH  test this server binary instead of building the repository
#        NO_INSTALL=1      do not apt-get/npm install anything
# Installs what it needs with apt-get (as root) and npm, into the clone only (editors/test/.work,
# editors/test/node_modules, editors/vscode/node_modules). Screenshot: .artifacts/vscode.png.
set -u
START=$(date +%s.%N)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
W=$HERE/.work
CI=${CI:-}
TESTS=("$@")
[ ${#TESTS[@]} -eq 0 ] && TESTS=(nvim eglot lsp-mode vscode)
wants() { local t; for t in "${TESTS[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }
mkdir -p "$W" "$ROOT/.artifacts"
declare -a SUMMARY=()
FAILED=0

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[run-all %5ss] %s\n' "$(secs "$START")" "$*"; }
record() { # NAME STATUS DURATION DETAIL
  SUMMARY+=("$(printf '%-4s %-9s %6ss  %s' "$2" "$1" "$3" "$4")")
  printf '%s %s (%ss) %s\n' "$2" "$1" "$3" "$4"
  [ "$2" = PASS ] || [ "$2" = SKIP ] || FAILED=1
}
missing_tool() { # NAME WHAT
  if [ "$CI" = true ]; then record "$1" FAIL 0.0 "missing: $2"; else record "$1" SKIP 0.0 "missing: $2 (a FAIL when CI=true)"; fi
}

# ---------------------------------------------------------------- installs
APT_PKGS=()
wants nvim && APT_PKGS+=(neovim)
{ wants eglot || wants lsp-mode; } && APT_PKGS+=(emacs-nox elpa-yaml-mode)
wants eglot && APT_PKGS+=(elpa-eglot)
wants lsp-mode && APT_PKGS+=(elpa-lsp-mode)
# code-server 4.100.3 builds native modules (kerberos needs gssapi) and wants ripgrep, which we seed offline
wants vscode && APT_PKGS+=(chromium build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep)
if [ -z "${NO_INSTALL:-}" ] && [ ${#APT_PKGS[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  MISSING=()
  for p in "${APT_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || MISSING+=("$p"); done
  if [ ${#MISSING[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      t=$(now); log "apt-get install ${MISSING[*]}"
      export DEBIAN_FRONTEND=noninteractive
      { apt-get update -q && apt-get install -y -q --no-install-recommends "${MISSING[@]}"; } > "$W/apt.log" 2>&1 \
        || { tail -20 "$W/apt.log"; log "apt-get failed (log: $W/apt.log)"; }
      log "apt-get done in $(secs "$t")s"
    else
      log "not root: cannot apt-get install ${MISSING[*]}"
    fi
  fi
fi

INSTALL_RECIPE=2 # bump when the way npm_ci installs changes
npm_ci() { # DIR AFTER [NPM-ARGS...]  (skipped when package-lock.json, INSTALL_RECIPE and Node are unchanged
  #                                     since the last install; AFTER is a function run after npm ci, or :)
  local dir=$1 after=$2 stamp=$1/node_modules/.run-all-stamp want log=$W/npm-$(basename "$1").log
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1) $(node --version) $INSTALL_RECIPE"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  [ -n "${NO_INSTALL:-}" ] && return 1
  log "npm ci in ${dir#"$ROOT"/}"
  { (cd "$dir" && npm ci --no-audit --no-fund "${@:3}") && "$after" "$dir"; } > "$log" 2>&1 \
    || { tail -30 "$log"; return 1; }
  echo "$want" > "$stamp"
}

# code-server's postinstall refuses to run as root unless npm runs with unsafe-perm (which we do not
# use): editors/test is installed with --ignore-scripts, and this does what its postinstall does
# (install VS Code's own dependencies, link node_modules.asar and the two helper scripts) plus the
# one other install script among the tools (argon2, code-server's password hashing; built from source
# against the Node headers in /usr/include/node).
code_server_postinstall() { # DIR
  local cs=$1/node_modules/code-server/lib/vscode
  (cd "$1" && npm rebuild argon2 --foreground-scripts) &&
    (cd "$cs" && npm install --omit=dev --no-audit --no-fund --foreground-scripts) &&
    ln -sfn node_modules "$cs/node_modules.asar" &&
    ln -sfn code-linux.sh "$cs/bin/remote-cli/code-server" &&
    ln -sfn browser-linux.sh "$cs/bin/helpers/browser.sh" &&
    (cd "$cs/extensions" && npm install --omit=dev --no-audit --no-fund --foreground-scripts)
}

VSIX=
if wants vscode && command -v node >/dev/null; then
  t=$(now)
  # code-server (see code_server_postinstall) builds native modules against the Node headers in
  # /usr/include/node, runs `npx node-gyp` (node-gyp is in our package.json) and downloads ripgrep
  # from GitHub unless the download cache already holds it: seed it with Debian's rg.
  mkdir -p "$W/tmp/vscode-ripgrep-cache-1.15.11"
  [ -x /usr/bin/rg ] && tar czf "$W/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
  TMPDIR=$W/tmp PATH=$HERE/node_modules/.bin:$PATH npm_config_nodedir=/usr npm_config_yes=true \
    npm_ci "$HERE" code_server_postinstall --ignore-scripts || log "npm ci of the test tools failed"
  npm_ci "$ROOT/editors/vscode" : || log "npm ci of the extension failed"
  if [ -x "$ROOT/editors/vscode/node_modules/.bin/vsce" ]; then
    (cd "$ROOT/editors/vscode" && rm -f asyncapi-ls.vsix && npm test && npm run package) > "$W/package.log" 2>&1 \
      && VSIX=$ROOT/editors/vscode/asyncapi-ls.vsix || { tail -30 "$W/package.log"; log "npm run package failed"; }
  fi
  [ -n "$VSIX" ] && log "extension unit tests passed; $(grep -o 'Packaged: .*' "$W/package.log")"
  log "VS Code tools and .vsix ready in $(secs "$t")s"
fi

# ---------------------------------------------------------------- the server
SERVER=${ASYNCAPI_LS:-}
if [ -z "$SERVER" ]; then
  t=$(now); mkdir -p "$W/bin"
  if (cd "$ROOT" && go build -o "$W/bin/asyncapi-ls" .) > "$W/go-build.log" 2>&1; then
    SERVER=$W/bin/asyncapi-ls; log "built $SERVER in $(secs "$t")s"
  else
    cat "$W/go-build.log"; log "go build failed"
  fi
fi

# ---------------------------------------------------------------- tests
export EXPECT=$HERE/expect.json
scratch() { # NAME -> fresh dir with demo.yaml and its own HOME/XDG dirs
  local d=$W/run/$1; rm -rf "$d"; mkdir -p "$d/ws" "$d/home" "$d/tmp"
  cp "$ROOT/testdata/editors/demo.yaml" "$d/ws/demo.yaml"
  cp "$ROOT/testdata/editors/nav.yaml" "$d/ws/nav.yaml"
  printf 'a: 1\nlist:\n  - x\n' > "$d/ws/plain.yaml"
  echo "$d"
}
run_lsp_test() { # NAME TOOL-CHECK COMMAND...
  local name=$1 tool=$2; shift 2
  if [ -z "$SERVER" ]; then record "$name" FAIL 0.0 "no server binary (go build failed)"; return; fi
  if ! command -v "$tool" >/dev/null; then missing_tool "$name" "$tool"; return; fi
  local d t rc; d=$(scratch "$name"); t=$(now)
  (cd "$HERE" && HOME=$d/home XDG_CONFIG_HOME=$d/home/.config XDG_DATA_HOME=$d/home/.local/share \
    XDG_CACHE_HOME=$d/home/.cache XDG_STATE_HOME=$d/home/.local/state TMPDIR=$d/tmp \
    LSP_CMD=$SERVER LSP_FILE=$d/ws/demo.yaml LSP_OUT=$d/result.json timeout 90 "$@") > "$d/editor.log" 2>&1
  rc=$?
  local dur; dur=$(secs "$t")
  echo "--- $name: what the editor showed"
  if [ -f "$d/result.json" ]; then
    node -e 'const r=require(process.argv[1]); const h=r.hovers||{}; const k=Object.keys(h)[0];
      console.log("  diagnostics: "+JSON.stringify((r.diagnostics||[]).map(d=>`${d.line}:${d.character} [${d.code}] ${d.message}`)));
      if (k) console.log("  hover "+k+": "+JSON.stringify(String(h[k]).slice(0,400)));
      console.log("  completion: "+JSON.stringify((r.completion||[]).map(i=>`${i.label} -> ${i.insert}`)));
      const n=r.nav; if (n) { const q=n.quickfix||{};
        console.log("  rename (nav.yaml): prompt "+JSON.stringify((n.rename||{}).prompt_default)+", server capabilities "+JSON.stringify(n.capabilities));
        console.log("  quick fix on "+q.diagnostic+": "+(q.offered||[]).length+" quick fixes offered, preferred "+JSON.stringify((q.offered||[]).filter(a=>a.preferred).map(a=>a.title))+", applied "+JSON.stringify(q.applied)+", diagnostics after "+JSON.stringify(q.diagnostics_after)+" ("+Math.round(n.ms||0)+" ms for both)"); }
      if (r.diagnostics_ms) console.log("  open->diagnostics "+Math.round(r.diagnostics_ms)+" ms, whole session "+Math.round(r.total_ms||0)+" ms");' "$d/result.json"
    node "$HERE/check.js" "$d/result.json"; local crc=$?
  else
    local crc=1
  fi
  if [ $rc -eq 0 ] && [ $crc -eq 0 ]; then
    record "$name" PASS "$dur" "(log: ${d#"$ROOT"/}/editor.log)"
  else
    echo "--- $name: editor log (tail)"; tail -25 "$d/editor.log"
    record "$name" FAIL "$dur" "editor rc=$rc, checks rc=$crc (log: ${d#"$ROOT"/}/editor.log)"
  fi
}

if wants nvim; then
  log "nvim: $(nvim --version 2>/dev/null | head -1)"
  run_lsp_test nvim nvim env PLUGIN_DIR="$ROOT/editors/nvim" PLAIN_FILE="$W/run/nvim/ws/plain.yaml" NAV_FILE="$W/run/nvim/ws/nav.yaml" \
    nvim --headless -u NONE -i NONE -n -c 'luafile nvim/test.lua'
fi
if wants eglot; then
  log "eglot: $(emacs --version 2>/dev/null | head -1)"
  run_lsp_test eglot emacs env PLUGIN_DIR="$ROOT/editors/emacs" emacs --batch -Q -l emacs/common.el -l emacs/eglot-test.el
fi
if wants lsp-mode; then
  log "lsp-mode: $(emacs --version 2>/dev/null | head -1)"
  run_lsp_test lsp-mode emacs env PLUGIN_DIR="$ROOT/editors/emacs" emacs --batch -Q -l emacs/common.el -l emacs/lsp-mode-test.el
fi
if wants vscode; then
  if [ -z "$SERVER" ]; then record vscode FAIL 0.0 "no server binary (go build failed)"
  elif [ ! -x /usr/bin/chromium ]; then missing_tool vscode "/usr/bin/chromium"
  elif [ ! -x "$HERE/node_modules/.bin/code-server" ] || [ ! -d "$HERE/node_modules/playwright-core" ]; then missing_tool vscode "code-server/playwright-core (npm ci in editors/test)"
  elif [ -z "$VSIX" ]; then record vscode FAIL 0.0 "the .vsix was not built (log: ${W#"$ROOT"/}/package.log)"
  else
    t=$(now); SHOT=$ROOT/.artifacts/vscode.png; rm -f "$ROOT"/.artifacts/vscode*.png
    log "vscode: code-server $(node -p 'require(process.argv[1]).version' "$HERE/node_modules/code-server/package.json"), playwright-core $(node -p 'require(process.argv[1]).version' "$HERE/node_modules/playwright-core/package.json"), $(/usr/bin/chromium --version 2>/dev/null)"
    echo "--- vscode: what the workbench showed"
    bash "$HERE/vscode/run.sh" "$SERVER" "$VSIX" "$W/run" "$SHOT"; rc=$?
    dur=$(secs "$t")
    [ -f "$SHOT" ] && echo "screenshot: $SHOT"
    if [ $rc -eq 0 ]; then record vscode PASS "$dur" "(screenshot: .artifacts/vscode.png)"
    else record vscode FAIL "$dur" "rc=$rc (result: ${W#"$ROOT"/}/run/vscode/result.json, screenshots: .artifacts/vscode*.png)"; fi
  fi
fi

# nothing of ours may outlive the run
if [ -n "$SERVER" ]; then
  LEFT=$(pgrep -f -x "$SERVER( .*)?" || true)
  if [ -n "$LEFT" ]; then log "left-over server processes: $LEFT (killing them)"; kill $LEFT 2>/dev/null; fi
fi

echo
echo "== editor tests (total $(secs "$START")s)"
printf '%s\n' "${SUMMARY[@]}"
exit $FAILED
