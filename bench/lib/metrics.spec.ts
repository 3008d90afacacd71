import {
  addBuckets,
  APPROVAL_HISTOGRAMS,
  bucketShares,
  describeAnswerShares,
  describeGc,
  describeMetrics,
  histogramBuckets,
  kafkaHandlings,
  metricsOf,
  directPosts,
  sumMetrics,
} from './metrics';

const scrape = (counts: [string, number][], route = '/approvals') =>
  [
    '# HELP http_request_duration_seconds HTTP request latency by method and route',
    '# TYPE http_request_duration_seconds histogram',
    ...counts.map(([le, count]) => `http_request_duration_seconds_bucket{le="${le}",method="POST",route="${route}"} ${count}`),
    `http_request_duration_seconds_sum{method="POST",route="${route}"} 1.5`,
    ...counts.map(([le]) => `http_request_duration_seconds_bucket{le="${le}",method="GET",route="${route}"} 999`),
  ].join('\n');

describe('histogramBuckets', () => {
  it('reads the cumulative buckets of the series whose labels match, +Inf as Infinity', () => {
    const text = scrape([
      ['0.01', 3],
      ['0.05', 9],
      ['+Inf', 10],
    ]);
    expect([...histogramBuckets(text, 'http_request_duration_seconds', { method: 'POST', route: '/approvals' })]).toEqual([
      [0.01, 3],
      [0.05, 9],
      [Infinity, 10],
    ]);
  });

  it('reads nothing for a route the text does not have', () => {
    expect(histogramBuckets(scrape([['+Inf', 4]], '/tasks'), 'http_request_duration_seconds', { route: '/approvals' }).size).toBe(0);
  });
});

describe('bucketShares', () => {
  it('gives the share of the observations between two scrapes at or under each bound', () => {
    const before = histogramBuckets(
      scrape([
        ['0.01', 2],
        ['0.05', 4],
        ['+Inf', 4],
      ]),
      'http_request_duration_seconds',
      { method: 'POST' },
    );
    const after = histogramBuckets(
      scrape([
        ['0.01', 5],
        ['0.05', 12],
        ['+Inf', 14],
      ]),
      'http_request_duration_seconds',
      { method: 'POST' },
    );
    expect(bucketShares(before, after)).toEqual([
      [0.01, 0.3],
      [0.05, 0.8],
      [Infinity, 1],
    ]);
  });

  it('is empty when nothing was observed between them', () => {
    const same = histogramBuckets(scrape([['+Inf', 4]]), 'http_request_duration_seconds', { method: 'POST' });
    expect(bucketShares(same, same)).toEqual([]);
  });
});

describe("approval's ingest histograms over its processes", () => {
  const text = (wait: [string, number][]) =>
    wait.map(([le, count]) => `approval_ingest_wait_seconds_bucket{le="${le}"} ${count}`).join('\n') +
    '\napproval_ingest_write_seconds_bucket{le="+Inf"} 1';

  it('adds the buckets of several processes and describes the shares within the bounds asked for', () => {
    const before = addBuckets(
      new Map(),
      APPROVAL_HISTOGRAMS.wait(
        text([
          ['0.0025', 1],
          ['0.01', 2],
          ['+Inf', 2],
        ]),
      ),
    );
    const after = new Map<number, number>();
    for (const process of [
      text([
        ['0.0025', 4],
        ['0.01', 6],
        ['+Inf', 7],
      ]),
      text([
        ['0.0025', 3],
        ['0.01', 3],
        ['+Inf', 3],
      ]),
    ])
      addBuckets(after, APPROVAL_HISTOGRAMS.wait(process));
    expect(describeAnswerShares(bucketShares(before, after), [0.0025, 0.01])).toBe('75.0 % ≤ 2.5 ms, 87.5 % ≤ 10 ms');
    expect(APPROVAL_HISTOGRAMS.write(text([])).get(Infinity)).toBe(1);
  });
});

describe('describeMetrics: the outbox part', () => {
  const scraped = (published: number, batches: number, readBack: number) =>
    metricsOf(
      [
        `outbox_published_total{topic="supervision.tasks"} ${published}`,
        `outbox_batch_seconds_count ${batches}`,
        `outbox_batch_seconds_sum ${batches * 0.01}`,
        `outbox_rows_read_back_total ${readBack}`,
      ].join('\n'),
    );

  it('says how many rows the relay read back from the table between two scrapes (ADR 0116)', () => {
    expect(describeMetrics(scraped(100, 2, 5), scraped(1100, 12, 45), 10)).toBe(
      'outbox 1000 msgs in 10 batches (avg 100/batch, mean 10.0 ms/batch, 40 rows read back from the table, the rest published from what the writer kept: ADR 0116)',
    );
  });
});

describe('sumMetrics: several processes of one service as one', () => {
  const process = (published: number, lag: number, inbox: number) =>
    metricsOf(
      [
        `outbox_published_total ${published}`,
        `inbox_messages_total{type="gov.supervision.task-assigned.v1"} ${inbox}`,
        `nodejs_eventloop_lag_p99_seconds ${lag}`,
      ].join('\n'),
    );

  it('adds counters, so a budget counts every process’s Kafka handlings', () => {
    const before = sumMetrics([process(10, 0.01, 5), process(20, 0.02, 7)]);
    const after = sumMetrics([process(110, 0.03, 105), process(70, 0.05, 57)]);
    expect(kafkaHandlings(before, after)).toEqual({ consumed: 150, produced: 150 });
  });

  it('keeps the largest event-loop delay, which does not add up', () => {
    expect(sumMetrics([process(1, 0.04, 1), process(1, 0.09, 1)]).get('nodejs_eventloop_lag_p99_seconds')).toBe(0.09);
  });

  it('is one process’s series when there is one, a series only one process has included', () => {
    const only = process(3, 0.02, 4);
    expect(sumMetrics([only])).toEqual(only);
    expect(sumMetrics([only, metricsOf('outbox_rows_read_back_total 6')]).get('outbox_rows_read_back_total')).toBe(6);
  });
});

describe('directPosts', () => {
  it("counts the POSTs approval's direct path took between two scrapes", () => {
    const before = metricsOf('http_direct_requests_total{route="/approvals"} 120\nhttp_requests_total{route="/approvals"} 400');
    const after = metricsOf('http_direct_requests_total{route="/approvals"} 10120');
    expect(directPosts(before, after)).toBe(10_000);
    expect(directPosts(metricsOf(''), metricsOf(''))).toBe(0);
  });
});

describe('describeGc', () => {
  const scraped = (minor: number, major: number, majorWithin10ms: number) =>
    metricsOf(
      [
        `nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} ${minor}`,
        `nodejs_gc_duration_seconds_bucket{le="0.01",kind="minor"} ${minor}`,
        `nodejs_gc_duration_seconds_sum{kind="minor"} ${minor * 0.002}`,
        `nodejs_gc_duration_seconds_count{kind="minor"} ${minor}`,
        `nodejs_gc_duration_seconds_bucket{le="0.01",kind="major"} ${majorWithin10ms}`,
        `nodejs_gc_duration_seconds_sum{kind="major"} ${major * 0.02}`,
        `nodejs_gc_duration_seconds_count{kind="major"} ${major}`,
      ].join('\n'),
    );

  it('names the collections between two scrapes by kind, their pause and those over 10 ms', () => {
    expect(describeGc(scraped(100, 2, 1), scraped(900, 5, 2))).toBe('minor 800 in 1.6 s, major 3 in 60 ms (2 over 10 ms)');
  });

  it('says none when no collection ran', () => {
    expect(describeGc(scraped(100, 2, 1), scraped(100, 2, 1))).toBe('none');
  });
});
