import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '@backbone/testing';
import { APPROVAL_METRICS } from '../../services/approval/src/approval.metrics';
import { CONSOLE_METRICS } from '../../services/console/src/console.metrics';
import { CREDIT_METRICS } from '../../services/credit/src/credit.metrics';
import { ENFORCEMENT_METRICS } from '../../services/enforcement/src/enforcement.metrics';
import { INSPECTION_METRICS } from '../../services/inspection/src/inspection.metrics';
import { SUPERVISION_METRICS } from '../../services/supervision/src/supervision.metrics';

/** Every service's domain gauges (read from its tables at each scrape). */
const DOMAIN_GAUGES = [
  ...APPROVAL_METRICS,
  ...SUPERVISION_METRICS,
  ...ENFORCEMENT_METRICS,
  ...CREDIT_METRICS,
  ...INSPECTION_METRICS,
  ...CONSOLE_METRICS,
].map((gauge) => gauge.name);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return name.endsWith('.ts') && !/\.(spec|integration-spec)\.ts$/.test(name) ? [path] : [];
  });
}

/**
 * The metric names the code registers: `metrics.counter/gauge/histogram('name', …)` and
 * `new Gauge/Counter/Histogram({ name: '…' })`, in every lib and service; a histogram's series too.
 */
function registeredMetrics(): Map<string, string> {
  const found = new Map<string, string>([['up', 'Prometheus itself']]);
  for (const file of [...sources(join(REPO_ROOT, 'libs')), ...sources(join(REPO_ROOT, 'services'))]) {
    const text = readFileSync(file, 'utf8');
    const where = relative(REPO_ROOT, file);
    for (const [, kind, name] of text.matchAll(/\.(counter|gauge|histogram)\(\s*'([a-z_:][a-z0-9_:]*)'/g)) {
      found.set(name, where);
      if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) found.set(name + suffix, where);
    }
    for (const [, kind, name] of text.matchAll(/new (Gauge|Counter|Histogram)\(\{\s*name: '([a-z_:][a-z0-9_:]*)'/g)) {
      found.set(name, where);
      if (kind === 'Histogram') for (const suffix of ['_bucket', '_sum', '_count']) found.set(name + suffix, where);
    }
  }
  for (const name of DOMAIN_GAUGES) found.set(name, 'a service *.metrics.ts');
  return found;
}

/** PromQL words that are not metric names. */
const PROMQL = new Set(
  'sum min max avg count stddev stdvar topk bottomk quantile count_values group by without on ignoring group_left group_right bool and or unless offset rate irate increase delta idelta deriv predict_linear histogram_quantile label_replace label_join abs ceil floor round clamp clamp_min clamp_max sort sort_desc time vector scalar absent absent_over_time changes resets max_over_time min_over_time avg_over_time sum_over_time count_over_time last_over_time timestamp inf nan'.split(
    ' ',
  ),
);

/** The metric names a PromQL expression reads: label matchers, strings, ranges and grouping clauses removed. */
function metricsOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...new Set([...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((word) => !PROMQL.has(word)))];
}

interface Dashboard {
  uid: string;
  panels: { id: number; title: string; targets: { expr: string }[] }[];
}

const DASHBOARDS = join(REPO_ROOT, 'deploy', 'grafana', 'dashboards');
const dashboards: [string, Dashboard][] = readdirSync(DASHBOARDS)
  .filter((name) => name.endsWith('.json'))
  .map((name) => [name, JSON.parse(readFileSync(join(DASHBOARDS, name), 'utf8')) as Dashboard]);

/**
 * The Grafana dashboards in deploy/ read only metrics the services really export (a renamed or mistyped
 * metric is a panel that stays empty without a word), and every domain gauge has a panel.
 */
describe('Grafana dashboards', () => {
  const registered = registeredMetrics();

  it('finds the expressions’ metric names', () => {
    expect(metricsOf('sum by (le, service) (rate(http_request_duration_seconds_bucket{status=~"5.."}[5m]))')).toEqual([
      'http_request_duration_seconds_bucket',
    ]);
    expect(metricsOf('sum by (status) (credit_repairs) or max(enforcement_complaints_overdue) > 0')).toEqual([
      'credit_repairs',
      'enforcement_complaints_overdue',
    ]);
  });

  it.each(dashboards)('%s: every panel query names metrics the services register', (_file, dashboard) => {
    const unknown = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) =>
        metricsOf(target.expr)
          .filter((name) => !registered.has(name))
          .map((name) => `${panel.title}: ${name}`),
      ),
    );
    expect(unknown).toEqual([]);
    for (const panel of dashboard.panels) for (const target of panel.targets) expect(metricsOf(target.expr).length).toBeGreaterThan(0);
  });

  it('gives every domain gauge of every service a panel', () => {
    const shown = new Set(
      dashboards.flatMap(([, dashboard]) => dashboard.panels.flatMap((panel) => panel.targets.flatMap((t) => metricsOf(t.expr)))),
    );
    expect(DOMAIN_GAUGES.filter((name) => !shown.has(name))).toEqual([]);
  });
});
