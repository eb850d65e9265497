// Type-checks every `@example` code block in the packages' TSDoc comments, so the examples
// in the API docs compile against the built packages as a user would import them.
//   node scripts/check-doc-examples.mjs        (after `pnpm build`)
// Each block becomes its own module under packages/tunekit/.doc-examples/ (where every
// package, the umbrella included, resolves like an installed dependency) and tsc checks
// them all at once.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "packages", "tunekit", ".doc-examples");

// The CLI's and the demo's modules are private to the tunekit package: not in the API docs.
const privateDirs = [
  join(root, "packages", "tunekit", "src", "cli"),
  join(root, "packages", "tunekit", "src", "demo"),
];

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (privateDirs.includes(path)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test(-d)?\.ts$/.test(name) ? [path] : [];
  });
}

function examplesOf(text) {
  const found = [];
  for (const comment of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const body = comment[1]
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""))
      .join("\n");
    const line = text.slice(0, comment.index).split("\n").length;
    for (const block of body.matchAll(/@example[\s\S]*?```(?:ts|typescript)\n([\s\S]*?)```/g)) {
      found.push({ code: block[1], line });
    }
  }
  return found;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const index = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const src = join(root, "packages", pkg, "src");
  for (const file of sourceFiles(src)) {
    for (const { code, line } of examplesOf(readFileSync(file, "utf8"))) {
      const name = `${String(index.length).padStart(4, "0")}.ts`;
      index.push({ name, where: `${relative(root, file)}:${line}` });
      writeFileSync(join(out, name), `// ${relative(root, file)}:${line}\n${code}\nexport {};\n`);
    }
  }
}
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify({
    extends: "../../../tsconfig.base.json",
    compilerOptions: {
      noEmit: true,
      types: ["node"],
      noUnusedLocals: false,
      moduleResolution: "Bundler",
      module: "ESNext",
      target: "ES2022",
    },
    include: ["*.ts"],
  }),
);
const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
try {
  execFileSync(process.execPath, [tsc, "-p", join(out, "tsconfig.json")], {
    cwd: out,
    encoding: "utf8",
    stdio: "pipe",
  });
  console.log(`${index.length} @example blocks type-check`);
  rmSync(out, { recursive: true, force: true });
} catch (error) {
  const output = `${error.stdout ?? ""}${error.stderr ?? ""}`;
  const where = Object.fromEntries(index.map((e) => [e.name, e.where]));
  console.error(output.replace(/^(\d{4}\.ts)/gm, (name) => `${name} (${where[name]})`));
  const failing = new Set([...output.matchAll(/^(\d{4}\.ts)/gm)].map((m) => m[1]));
  console.error(`${failing.size} of ${index.length} @example blocks do not type-check`);
  process.exit(1);
}
