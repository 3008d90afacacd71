import { InProcessService, KEEP_PUBLISHED } from '@backbone/testing';
import { loadEnforcementConfig } from '../src/enforcement.config';
import { ENFORCEMENT_SERVICE, EnforcementModule } from '../src/enforcement.module';

/** API clients of the enforcement test app: department → key. */
export const KEYS = {
  '320700-SAMR': 'it-key-market-regulator-0001',
  '320700-HEALTH': 'it-key-health-commission-001',
  '320700-LEGAL': 'it-key-legal-affairs-office-1',
  'PLATFORM-OPS': 'it-key-platform-operations-1',
  '320700-HOTLINE': 'it-key-12345-hotline-system-1',
} as const;

/**
 * The enforcement service in process, on a fresh test database and a Kafka namespace of its own,
 * with the real migrations, HTTP edge and inbox transport.
 */
export function startEnforcement(): Promise<InProcessService> {
  return InProcessService.start({
    service: ENFORCEMENT_SERVICE,
    loadConfig: loadEnforcementConfig,
    module: (config) => EnforcementModule.forRoot(config),
    clients: KEYS,
    env: { LEGAL_REVIEW_DEPARTMENTS: '320700-LEGAL', CONSUMER_BACKOFF_MS: '50', COMPLAINT_SWEEP_INTERVAL_MS: '0', ...KEEP_PUBLISHED },
  });
}

/** Walks a case by hand through investigation, evidence, legal review and a major decision; returns its id. */
export async function decidedCase(system: InProcessService, uscc: string, decisionNumber: string): Promise<string> {
  const ok = (response: { status: number; body: any }, status: number) => {
    if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const opened = ok(
    await system.call('320700-SAMR', 'POST', '/cases', {
      uscc,
      violationCodes: ['FOOD-HYGIENE-01'],
      openedBy: '王芳',
      reason: '日常检查发现',
    }),
    201,
  );
  const id: string = opened.id;
  ok(await system.call('320700-SAMR', 'POST', `/cases/${id}/investigation`, { investigator: '李强' }), 200);
  ok(
    await system.call('320700-SAMR', 'POST', `/cases/${id}/evidence`, {
      collectedBy: '李强',
      description: '后厨现场照片 12 张',
      reference: 'EV-1',
    }),
    201,
  );
  ok(
    await system.call('320700-SAMR', 'POST', `/cases/${id}/evidence`, { collectedBy: '赵六', description: '询问笔录', reference: 'EV-2' }),
    201,
  );
  const penalties = [{ kind: 'fine', amount: 30000 }];
  ok(
    await system.call('320700-SAMR', 'POST', `/cases/${id}/legal-review-request`, {
      requestedBy: '李强',
      action: 'decide',
      severity: 'serious',
      penalties,
      reason: '拟处罚款',
    }),
    201,
  );
  ok(
    await system.call('320700-LEGAL', 'POST', `/cases/${id}/legal-review`, {
      reviewer: '陈静',
      outcome: 'approved',
      opinion: '事实清楚，证据确凿',
    }),
    200,
  );
  ok(await system.call('320700-SAMR', 'POST', `/cases/${id}/decision`, { decisionNumber, severity: 'serious', penalties }), 201);
  ok(await system.call('320700-SAMR', 'POST', `/cases/${id}/service`, { servedBy: '李强', method: 'direct' }), 200);
  return id;
}
