// Builds Observable Notebook Kit notebooks into a static site that loads
// nothing from the network. Notebook Kit's own build points `npm:` imports
// and its standard library (Plot, Inputs, d3, htl, ...) at cdn.jsdelivr.net;
// here a Vite plugin resolves every such import to the package installed in
// node_modules and Vite bundles it into the site. A CDN module that is not
// installed becomes a stub that throws "not available offline" when (and
// only when) a notebook uses it, so the site never reaches for the network.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { deserialize, parseTemplate } from '@observablehq/notebook-kit';
import { getDatabase, getDatabaseConfig, getQueryCachePath } from '@observablehq/notebook-kit/databases';
import { config as notebookConfig, observable } from '@observablehq/notebook-kit/vite';

const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Where a bare package name is looked up, in order: the workspace root, then
 * the packages that bring the notebook libraries (so that Inputs' htl or
 * Plot's d3 modules resolve to the copies they were installed with).
 */
const LOOKUP_PACKAGES = ['@observablehq/notebook-kit', '@observablehq/inputs', '@observablehq/plot'];
const importers = [
  join(workspaceRoot, 'package.json'),
  ...LOOKUP_PACKAGES.map((name) => realpathSync(join(workspaceRoot, 'node_modules', name, 'package.json'))),
];

const CDN_PREFIX = 'https://cdn.jsdelivr.net/npm/';
const OFFLINE_STUB = '\0farmscope-offline:';

/**
 * `npm:d3-dsv`, `https://cdn.jsdelivr.net/npm/d3-dsv@3/+esm` → `d3-dsv`: the
 * package (and sub-path) to take from node_modules; null for other imports.
 * Versions are dropped (the installed one is used) and so are jsDelivr's
 * "/+esm" suffixes and its paths to a package's own bundled file.
 */
export function packageSpecifier(source) {
  const rest = source.startsWith('npm:') ? source.slice(4) : source.startsWith(CDN_PREFIX) ? source.slice(CDN_PREFIX.length) : null;
  if (rest === null) return null;
  const [, name, path = ''] = /^((?:@[^/]+\/)?[^/@]+)(?:@[^/]*)?(\/.*)?$/.exec(rest) ?? [];
  if (name === undefined) return null;
  const subpath = path.replace(/\/\+esm$/, '');
  return /\.m?js$/.test(subpath) ? name : `${name}${subpath}`;
}

/** The Vite plugin: CDN and `npm:` imports from node_modules, or a stub that throws when used. */
export function offlineImports(report = { bundled: new Set(), stubbed: new Set() }) {
  return {
    name: 'farmscope-offline-imports',
    enforce: 'pre',
    async resolveId(source, _importer, options) {
      if (source.startsWith(OFFLINE_STUB)) return source;
      const specifier = packageSpecifier(source);
      if (specifier === null) {
        if (/^(https?:)?\/\//.test(source)) {
          report.stubbed.add(source);
          return `${OFFLINE_STUB}${source}`;
        }
        return null;
      }
      for (const importer of importers) {
        const resolved = await this.resolve(specifier, importer, { ...options, skipSelf: true });
        if (resolved && !resolved.external) {
          report.bundled.add(specifier);
          return resolved;
        }
      }
      report.stubbed.add(source);
      return `${OFFLINE_STUB}${source}`;
    },
    /** CSS that @imports a stylesheet from the CDN (Inputs' index.css) gets the installed file instead. */
    transform(code, id) {
      if (!id.endsWith('.css') || !code.includes(CDN_PREFIX)) return null;
      return code.replace(/@import url\((["'])(https:\/\/cdn\.jsdelivr\.net\/npm\/[^"']+)\1\);?/g, (statement, _quote, url) => {
        const local = installedFile(packageSpecifier(url));
        if (local === null) report.stubbed.add(url);
        else report.bundled.add(packageSpecifier(url));
        return local === null ? `/* not available offline: ${url} */` : `@import url(${JSON.stringify(local)});`;
      });
    },
    load(id) {
      if (!id.startsWith(OFFLINE_STUB)) return null;
      const message = `not available offline: ${id.slice(OFFLINE_STUB.length)} (install the package in the workspace to use it)`;
      // Any named import of the stub binds to a property of __offline, so importers still build.
      return { code: `export const __offline = {};\nthrow new Error(${JSON.stringify(message)});\nexport default undefined;\n`, syntheticNamedExports: '__offline' };
    },
  };
}

/** A file inside an installed package (`@observablehq/inputs/dist/index.css`), or null. */
function installedFile(specifier) {
  for (const importer of importers) {
    let folder = dirname(importer);
    while (!folder.endsWith('/node_modules') && folder !== dirname(folder)) folder = dirname(folder);
    const candidate = join(folder === dirname(folder) ? join(workspaceRoot, 'node_modules') : folder, specifier);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Notebook Kit's Vite config without its `npm:` → CDN alias (the plugin above resolves those). */
function offlineConfig() {
  const base = notebookConfig();
  const alias = base.resolve.alias.filter((a) => !(a.find instanceof RegExp && a.find.source.startsWith('^(npm:')));
  return { ...base, resolve: { ...base.resolve, alias } };
}

/**
 * Runs every SQL cell of the notebooks (HTML files under one folder) through
 * Notebook Kit's own database connector, in this process, and stores each
 * result where the kit's build looks for it, so the build finds every query
 * answered. The kit's own snapshot (a child process per query) also records
 * the wall-clock time and duration of the query; these are left out, so the
 * same case file gives the same site. A query that fails is reported with
 * its notebook and cell; all failures are returned, none thrown.
 */
export async function snapshotSqlCells(pages) {
  const failures = [];
  let snapshots = 0;
  for (const page of pages) {
    const notebook = deserialize(readFileSync(page, 'utf8'), { parser: domParser() });
    for (const cell of notebook.cells) {
      if (cell.mode !== 'sql' || !cell.database || cell.database.startsWith('var:')) continue;
      if (parseTemplate(cell.value).expressions.length > 0) continue; // interpolated queries cannot be snapshotted
      try {
        const query = await getDatabase(await getDatabaseConfig(page, cell.database));
        const { rows, schema } = await query([cell.value]);
        const path = await getQueryCachePath(page, cell.database, [cell.value]);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, JSON.stringify({ rows, schema }));
        snapshots += 1;
      } catch (error) {
        failures.push({ page, cell: cell.id, message: String(error?.errors?.[0] ?? error?.message ?? error) });
      }
    }
  }
  return { snapshots, failures };
}

/** A DOMParser for the kit's notebook reader: jsdom, as the kit's own build uses. */
function domParser() {
  const { JSDOM } = createRequire(realpathSync(join(workspaceRoot, 'node_modules/@observablehq/notebook-kit/package.json')))('jsdom');
  return new new JSDOM().window.DOMParser();
}

/** Builds the notebooks (HTML files under `root`) into `outDir`; returns which imports were bundled and stubbed. */
export async function buildNotebookSite({ root, outDir, inputs, template }) {
  const report = { bundled: new Set(), stubbed: new Set() };
  await build({
    ...offlineConfig(),
    configFile: false,
    logLevel: 'warn',
    plugins: [offlineImports(report), observable({ template })],
    root,
    base: './',
    // The notebook libraries make chunks of 0.5-1 MB; they are read from disk, not a network.
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2048, rollupOptions: { input: inputs } },
  });
  return { bundled: [...report.bundled].sort(), stubbed: [...report.stubbed].sort() };
}

/** Serves a built site on the loopback interface; resolves to the server (its URL in `resolvedUrls`). */
export function serveNotebookSite({ outDir: folder, port = 0, open = false }) {
  const outDir = resolve(folder);
  return preview({
    configFile: false,
    root: dirname(outDir),
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: port !== 0, open },
  });
}
