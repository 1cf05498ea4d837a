// Bundles the JavaScript sources under js/ into the files the server serves, at the URLs
// they always had: `node scripts/build.mjs [--check]`, run through scripts/build (which
// fetches the pinned esbuild-wasm and sets HOSTCALL_BUILD_TOOLS). The outputs are committed,
// so a checkout and a wheel work with no build step; `--check` rebuilds in memory and fails,
// naming each file, when a committed output differs.
import { readFile, readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PYTHON_DIR = path.join(ROOT, "worker/python/hostcall");

/** Each output: its entry under js/, the served path it is written to, and its format. */
const OUTPUTS = [
  // The public bundle: an IIFE that defines window.Hostcall and nothing else global.
  { entry: "js/bridge/index.js", outfile: "bridge.js", format: "iife" },
  { entry: "js/worker/worker.js", outfile: "worker/worker.js", format: "esm" },
  { entry: "js/web/host-functions/index.js", outfile: "web/host-functions.js", format: "esm" },
  { entry: "js/web/remote/index.js", outfile: "web/remote.js", format: "esm" },
  // The opt-in service worker (docs/hosting.md): a classic script, beside bridge.js.
  { entry: "js/sw/hostcall-sw.js", outfile: "hostcall-sw.js", format: "iife" },
  // Tooling, not the library: the headless driver installs it in each page before bridge.js.
  { entry: "js/headless/page.js", outfile: "server/hostcall/headless/page.js", format: "iife" },
];

/**
 * `import SOURCES from "hostcall:python"`: the worker's Python package as {file name: text},
 * every *.py file of worker/python/hostcall/ in name order (no hand-kept list to update).
 */
const pythonSources = {
  name: "hostcall-python",
  setup(build) {
    build.onResolve({ filter: /^hostcall:python$/ }, () => ({ path: "python", namespace: "hostcall" }));
    build.onLoad({ filter: /.*/, namespace: "hostcall" }, async () => {
      const names = (await readdir(PYTHON_DIR)).filter((name) => name.endsWith(".py")).sort();
      const imports = names.map((name, i) => `import file${i} from ${JSON.stringify(`./${name}`)};`);
      const entries = names.map((name, i) => `${JSON.stringify(name)}: file${i}`);
      return {
        contents: `${imports.join("\n")}\nexport default { ${entries.join(", ")} };\n`,
        resolveDir: PYTHON_DIR,
        loader: "js",
      };
    });
  },
};

async function loadEsbuild() {
  const tools = process.env.HOSTCALL_BUILD_TOOLS;
  if (!tools) throw new Error("HOSTCALL_BUILD_TOOLS is not set: run scripts/build, which fetches the pinned esbuild-wasm");
  return createRequire(import.meta.url)(path.join(tools, "esbuild-wasm"));
}

/** Bundle one output in memory; returns its text. */
async function bundle(esbuild, { entry, outfile, format }) {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format,
    write: false,
    charset: "utf8",
    legalComments: "none",
    loader: { ".py": "text" },
    plugins: [pythonSources],
    banner: { js: `// Generated from ${entry} by scripts/build; do not edit.` },
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

async function main(check) {
  const esbuild = await loadEsbuild();
  const stale = [];
  try {
    for (const output of OUTPUTS) {
      const text = await bundle(esbuild, output);
      const file = path.join(ROOT, output.outfile);
      if (!check) await writeFile(file, text);
      else if ((await readFile(file, "utf8").catch(() => null)) !== text) stale.push(output.outfile);
    }
  } finally {
    await esbuild.stop?.();
  }
  if (stale.length) {
    console.error(`scripts/build --check: ${stale.join(", ")} differ from a build of js/: run scripts/build and commit`);
    process.exitCode = 1;
  }
}

await main(process.argv.includes("--check"));
