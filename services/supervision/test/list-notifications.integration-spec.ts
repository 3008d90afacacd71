import { InProcessService, testUscc } from '@backbone/testing';
import { loadSupervisionConfig } from '../src/supervision.config';
import { SUPERVISION_SERVICE, SupervisionModule } from '../src/supervision.module';

const OPS = 'PLATFORM-OPS';
const SAMR = '320700-SAMR';
const HEALTH = '320700-HEALTH';

/**
 * A licensing department lists the double notifications (双告知) it received (issue #10): its own only,
 * newest first, page by page with a cursor; operators see every department's. Real PostgreSQL and Kafka.
 */
describe('a licensing department lists its notifications', () => {
  let service: InProcessService;

  beforeAll(async () => {
    service = await InProcessService.start({
      service: SUPERVISION_SERVICE,
      loadConfig: loadSupervisionConfig,
      module: (config) => SupervisionModule.forRoot(config),
      clients: {
        [OPS]: 'test-key-platform-operations-001',
        [SAMR]: 'test-key-market-regulator-320700',
        [HEALTH]: 'test-key-health-commission-32070',
      },
      env: { OPERATOR_DEPARTMENTS: OPS, DEADLINE_SWEEP_INTERVAL_MS: '0' },
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('pages through its own notifications, newest first, and no other department sees them', async () => {
    const registered: string[] = [];
    for (const n of [1, 2, 3]) {
      const uscc = testUscc(7_600_000 + n);
      const registration = await service.call(SAMR, 'POST', '/registrations', {
        uscc,
        entityName: `连云港通知测试${n}宾馆有限公司`,
        regionCode: '320703',
        businessScope: '住宿服务；餐饮服务',
      });
      expect(registration.status).toBe(201);
      registered.push(uscc);
    }

    const pages: Array<Array<{ uscc: string; licensingDepartment: string; itemCode: string }>> = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: any[]; next: string | null } } = await service.call(
        HEALTH,
        'GET',
        `/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      pages.push(page.body.items);
      cursor = page.body.next;
    } while (cursor);
    const all = pages.flat();
    expect(pages.map((page) => page.length)).toEqual([2, 1]);
    expect(all.map((item) => item.uscc)).toEqual([...registered].reverse());
    expect(all.every((item) => item.licensingDepartment === HEALTH && item.itemCode === 'PUBLIC-PLACE-HEALTH-LICENCE')).toBe(true);
    expect(all[0]).toMatchObject({ licence: null, unlicensedClue: null, feedback: [] });

    // The market regulator sees its own (the food licences), never the health commission's.
    const samr = await service.call(SAMR, 'GET', '/notifications');
    expect(samr.body.items.map((item: { itemCode: string }) => item.itemCode)).toEqual(Array(3).fill('FOOD-BUSINESS-LICENCE'));
    const samrAsking = await service.call(SAMR, 'GET', `/notifications?licensingDepartment=${HEALTH}`);
    expect(samrAsking.body.items.every((item: { licensingDepartment: string }) => item.licensingDepartment === SAMR)).toBe(true);
    // Operators: everyone's, or one department's; by entity.
    expect((await service.call(OPS, 'GET', '/notifications')).body.items).toHaveLength(6);
    expect((await service.call(OPS, 'GET', `/notifications?licensingDepartment=${HEALTH}`)).body.items).toHaveLength(3);
    expect((await service.call(HEALTH, 'GET', `/notifications?uscc=${registered[0]}`)).body.items).toHaveLength(1);

    const bad = await service.call(HEALTH, 'GET', '/notifications?cursor=nonsense&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    const badCursor = await service.call(HEALTH, 'GET', '/notifications?cursor=nonsense');
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.code).toBe('BAD_CURSOR');
  });
});
