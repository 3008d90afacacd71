import { parsePrometheusText } from './prometheus-text';

describe('Prometheus text', () => {
  it('reads names, labels and values, skipping comments', () => {
    const text = [
      '# HELP outbox_unsent_messages Outbox messages not yet acknowledged',
      '# TYPE outbox_unsent_messages gauge',
      'outbox_unsent_messages{topic="backbone.approval.events"} 3',
      'dead_letters_open 0',
      'supervision_reconciliation_gaps{reason="no \\"task\\""} 1.5',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      { name: 'outbox_unsent_messages', labels: { topic: 'backbone.approval.events' }, value: 3 },
      { name: 'dead_letters_open', labels: {}, value: 0 },
      { name: 'supervision_reconciliation_gaps', labels: { reason: 'no \\"task\\"' }, value: 1.5 },
    ]);
  });
});
