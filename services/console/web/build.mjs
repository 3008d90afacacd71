// Builds the console page into dist/services/console/web (ADR 0040, 0045): type-checks app.ts and
// echarts.ts (their own tsconfig, DOM types), bundles and minifies app.ts and the styles and writes them
// into index.html (a first visit asks for no script or style of its own), bundles the console's own
// ECharts build (echarts.ts: only the charts and components the pages draw) from the pinned npm package
// with esbuild, and copies the XLSX writer. Those two get content-hashed names (index.html is rewritten
// to name them; assets.json lists them for the service), so the service can let browsers cache them for
// good; every file gets a gzip and a brotli copy, so nothing is compressed at request time. Run by
// `npm run build`; the running service reads only these files (no network, no CDN).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const out = join(root, 'dist', 'services', 'console', 'web');
const require = createRequire(import.meta.url);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
const minified = async (file, loader) =>
  (await transform(readFileSync(join(here, file), 'utf8'), { loader, minify: true, target: 'es2020' })).code;

/** Written into index.html itself: the page's script and styles (no request of their own on a first visit). */
const inline = {
  // app.ts with the chart options it shares with the server's first-paint SVG (src/figures/overview-charts.ts).
  'app.js': (
    await build({
      entryPoints: [join(here, 'app.ts')],
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      legalComments: 'none',
      write: false,
    })
  ).outputFiles[0].text,
  'styles.css': await minified('styles.css', 'css'),
};

/** The served name of each asset index.html names, and its bytes. */
const assets = {
  // Bar, line and pie on a grid, tooltip, legend, title, mark areas, canvas: 0.55 MB, not the common build's 0.7 MB.
  'echarts.js': (
    await build({
      entryPoints: [join(here, 'echarts.ts')],
      bundle: true,
      minify: true,
      format: 'iife',
      globalName: 'echarts',
      target: 'es2020',
      legalComments: 'none',
      write: false,
    })
  ).outputFiles[0].text,
  // XLSX export (write-excel-file's browser bundle, 70 kB, the global writeXlsxFile): loaded on the first export only.
  'write-excel-file.min.js': readFileSync(
    join(dirname(require.resolve('write-excel-file/package.json')), 'bundle', 'write-excel-file.min.js'),
  ),
};

/** The file, and a gzip and a brotli copy of it (the service sends the best one the browser accepts). */
const write = (file, content) => {
  const bytes = Buffer.from(content);
  writeFileSync(join(out, file), bytes);
  writeFileSync(join(out, `${file}.gz`), gzipSync(bytes, { level: 9 }));
  writeFileSync(
    join(out, `${file}.br`),
    brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
  );
};

const manifest = {};
for (const [name, content] of Object.entries(assets)) {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
  const served = name.replace(/^([^.]+)\./, `$1.${hash}.`);
  manifest[name] = served;
  write(served, content);
}
let html = readFileSync(join(here, 'index.html'), 'utf8');
const replace = (from, to) => {
  if (!html.includes(from)) throw new Error(`index.html does not have ${from}`);
  html = html.replace(from, () => to);
};
for (const text of Object.values(inline))
  if (/<\/(script|style)|<!--/i.test(text)) throw new Error('a script or style to inline closes its element or opens a comment');
replace('<link rel="stylesheet" href="assets/styles.css" />', `<style>${inline['styles.css']}</style>`);
replace('<script src="assets/app.js" ', '<script ');
replace('></script>', `>${inline['app.js']}</script>`);
for (const [name, served] of Object.entries(manifest)) {
  const reference = `"assets/${name}"`;
  if (!html.includes(reference)) throw new Error(`index.html does not name ${reference}`);
  html = html.replaceAll(reference, `"assets/${served}"`);
}
write('index.html', html);
writeFileSync(join(out, 'assets.json'), JSON.stringify(manifest, null, 2));
console.log(
  `console page: ${readdirSync(out)
    .filter((file) => !/\.(gz|br)$/.test(file))
    .join(', ')}`,
);
