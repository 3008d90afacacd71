// Builds the console page into dist/services/console/web: compiles app.ts (its own tsconfig, DOM
// types), copies the HTML and styles, and ECharts from the pinned npm package. Run by `npm run build`;
// the running service reads only these files (no network, no CDN).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const out = join(root, 'dist', 'services', 'console', 'web');
const require = createRequire(import.meta.url);

mkdirSync(out, { recursive: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
for (const file of ['index.html', 'styles.css']) copyFileSync(join(here, file), join(out, file));
// The common build (line, bar, pie, tooltip, legend, markers: all the console draws) is 0.7 MB, not 1.1 MB.
copyFileSync(require.resolve('echarts/dist/echarts.common.min.js'), join(out, 'echarts.common.min.js'));
// XLSX export (write-excel-file's browser bundle, 70 kB, the global writeXlsxFile): loaded on the first export only.
copyFileSync(
  join(dirname(require.resolve('write-excel-file/package.json')), 'bundle', 'write-excel-file.min.js'),
  join(out, 'write-excel-file.min.js'),
);
