// Checks the observability configuration in deploy/: Prometheus config and alert rules with promtool
// (Debian's prometheus package, installed by scripts/test-tools.sh), and every Grafana dashboard
// against the shape Grafana's provisioning needs. Exits non-zero naming each problem.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];

for (const args of [
  ['check', 'config', join(root, 'deploy/prometheus/prometheus.yml')],
  ['check', 'rules', join(root, 'deploy/prometheus/alerts.yml')],
]) {
  try {
    process.stdout.write(execFileSync('promtool', args, { encoding: 'utf8' }));
  } catch (error) {
    problems.push(`promtool ${args.slice(0, 2).join(' ')}: ${error.stdout ?? ''}${error.stderr ?? error.message}`);
  }
}

// Every service (a folder under services/) is scraped by the docker-compose configuration.
const scrapeConfig = readFileSync(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8');
for (const service of readdirSync(join(root, 'services'))) {
  if (!new RegExp(`labels: \\{ service: ${service} \\}`).test(scrapeConfig))
    problems.push(`deploy/prometheus/prometheus.yml: no scrape target for the ${service} service`);
}

// Which metrics the panels' queries read is checked against the metrics the code registers by
// test/schema/grafana-dashboards.schema-spec.ts (every name, not a list kept here by hand).
const dir = join(root, 'deploy/grafana/dashboards');
for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
  const where = `dashboard ${file}`;
  let dashboard;
  try {
    dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (error) {
    problems.push(`${where}: not JSON (${error.message})`);
    continue;
  }
  for (const key of ['uid', 'title', 'schemaVersion', 'panels'])
    if (dashboard[key] === undefined) problems.push(`${where}: missing ${key}`);
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(dashboard.uid ?? '')) problems.push(`${where}: uid must be 1-40 letters, digits, - or _`);
  const ids = new Set();
  for (const panel of dashboard.panels ?? []) {
    const at = `${where} panel ${panel.id} "${panel.title}"`;
    if (!Number.isInteger(panel.id) || ids.has(panel.id)) problems.push(`${at}: id must be a unique integer`);
    ids.add(panel.id);
    if (!['timeseries', 'stat', 'table', 'gauge', 'bargauge'].includes(panel.type)) problems.push(`${at}: unknown type ${panel.type}`);
    const grid = panel.gridPos ?? {};
    if (!['h', 'w', 'x', 'y'].every((k) => Number.isInteger(grid[k])) || grid.x + grid.w > 24)
      problems.push(`${at}: gridPos must be h/w/x/y within 24 columns`);
    if (!Array.isArray(panel.targets) || panel.targets.length === 0) problems.push(`${at}: no targets`);
    for (const target of panel.targets ?? []) {
      if (typeof target.expr !== 'string' || target.expr.trim() === '') problems.push(`${at}: a target without an expr`);
    }
  }
  console.log(`${where}: ${dashboard.panels?.length ?? 0} panels checked`);
}

if (problems.length > 0) {
  console.error(problems.map((problem) => `  - ${problem}`).join('\n'));
  process.exit(1);
}
console.log('observability configuration OK');
