#!/usr/bin/env bash
# Packs every published package, installs the tarballs into a scratch project with npm
# (as a user would), and imports each from ESM and from CJS, then runs the CLI.
set -euo pipefail
root=$(pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/tarballs" "$scratch/app"
for dir in packages/*/; do
  (cd "$dir" && npx --yes pnpm@10.34.9 pack --pack-destination "$scratch/tarballs" >/dev/null)
done
cd "$scratch/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$scratch"/tarballs/*.tgz
names=$(node -e '
  const fs = require("fs"), path = require("path");
  const dirs = fs.readdirSync(process.argv[1]).map((d) => path.join(process.argv[1], d));
  console.log(dirs.map((d) => require(path.join(d, "package.json")).name).join(" "));
' "$root/packages")
for name in $names; do
  node --input-type=module -e "const m = await import('$name'); if (Object.keys(m).length === 0) throw new Error('$name: ESM import is empty'); console.log('esm ok', '$name', Object.keys(m).length, 'exports');"
  node -e "const m = require('$name'); if (Object.keys(m).length === 0) throw new Error('$name: CJS require is empty'); console.log('cjs ok', '$name', Object.keys(m).length, 'exports');"
  if node -e "process.exit(require('$name/package.json').exports['./node'] ? 0 : 1)"; then
    node --input-type=module -e "const m = await import('$name/node'); if (Object.keys(m).length === 0) throw new Error('$name/node: ESM import is empty'); console.log('esm ok', '$name/node');"
    node -e "const m = require('$name/node'); if (Object.keys(m).length === 0) throw new Error('$name/node: CJS require is empty'); console.log('cjs ok', '$name/node');"
  fi
done
npx --no-install tunekit --version
# The demo runs from the installed package alone: its sample data and model files ship in it.
npx --no-install tunekit demo --format json | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const r = JSON.parse(s);
    if (r.lora.budget.trainable !== 4608) throw new Error("demo: unexpected LoRA budget");
    console.log("demo ok from the installed tarball");
  });'
