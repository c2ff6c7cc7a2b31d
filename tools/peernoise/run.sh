#!/usr/bin/env bash
# peernoise: how many diagnostics each checker gives for ONE mistake.
#
# Writes the mutants of internal/mutants (real corpus documents with one
# realistic mistake each), runs Spectral (asyncapi ruleset), @asyncapi/parser
# (validate) and asyncapi-ls (check) on each mutant and on its original,
# and prints a Markdown table of the diagnostics the mistake added per
# checker (1 is ideal: one diagnostic per real mistake).
#
#   bash tools/peernoise/run.sh                # installs the peers in a temp prefix
#   PEERS=/tmp/peers bash tools/peernoise/run.sh   # reuse an install
#
# Needs node/npm and Go. The corpus is ../shared/corpus (CORPUS overrides).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${CORPUS:-$root/../shared/corpus}
peers=${PEERS:-$(mktemp -d)}
work=$(mktemp -d)
if [ ! -x "$peers/node_modules/.bin/spectral" ] || [ ! -d "$peers/node_modules/@asyncapi/parser" ]; then
  npm install --prefix "$peers" --no-audit --no-fund @stoplight/spectral-cli @asyncapi/parser >&2
fi
(cd "$root" && go run ./tools/mutants -corpus "$corpus" -out "$work/mutants" >&2 && go build -o "$work/asyncapi-ls" .)
printf 'extends: ["spectral:asyncapi"]\n' > "$work/ruleset.yaml"
cat > "$work/parser.cjs" <<'JS'
const fs = require('fs');
const { Parser } = require(process.argv[2] + '/node_modules/@asyncapi/parser');
(async () => {
  const diags = await new Parser().validate(fs.readFileSync(process.argv[3], 'utf8'));
  // errors and warnings (severity 0, 1), as Spectral counts below
  console.log(diags.filter(d => d.severity <= 1).length);
})().catch(e => { console.error(e); process.exit(1); });
JS
count() { # errors and warnings (LSP/Spectral severities 0..1 or 1..2) in a JSON list read from stdin
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let a=[];try{a=JSON.parse(s||"[]")}catch(e){}
    if(a.length&&a[0].diagnostics)a=a[0].diagnostics.map(d=>({severity:d.severity-1}));
    console.log(a.filter(d=>d.severity<=1).length)})'
}
spectral() { { "$peers/node_modules/.bin/spectral" lint -q -r "$work/ruleset.yaml" -f json "$1" 2>/dev/null || true; } | count; }
parser() { node "$work/parser.cjs" "$peers" "$1" || echo 0; }
ours() { { "$work/asyncapi-ls" check --format json "$1" || true; } | count; }
declare -A base_s base_p base_o
echo "| mutant | expected | Spectral | @asyncapi/parser | asyncapi-ls |"
echo "|---|---|---|---|---|"
ts=0; tp=0; to=0; n=0
tail -n +2 "$work/mutants/index.tsv" | while IFS=$'\t' read -r file source code pointer where; do
  if [ -z "${base_s[$source]:-}" ]; then
    base_s[$source]=$(spectral "$corpus/$source"); base_p[$source]=$(parser "$corpus/$source"); base_o[$source]=$(ours "$corpus/$source")
  fi
  s=$(( $(spectral "$work/mutants/$file") - ${base_s[$source]} ))
  p=$(( $(parser "$work/mutants/$file") - ${base_p[$source]} ))
  o=$(( $(ours "$work/mutants/$file") - ${base_o[$source]} ))
  ts=$((ts+s)); tp=$((tp+p)); to=$((to+o)); n=$((n+1))
  echo "| ${file%.*} | $code | $s | $p | $o |"
  if [ "$n" = "$(($(wc -l < "$work/mutants/index.tsv")-1))" ]; then
    echo "| **total ($n mutants)** | | **$ts** | **$tp** | **$to** |"
  fi
done
