import { readFileSync } from 'node:fs';
import { SectorInspectionRecordedV1 } from '@backbone/contracts';
import { join } from 'node:path';
import { ALL_SERVICE_NAMES, REPO_ROOT, ServiceName, TEST_CLIENTS, TestDepartment, TestSystem, testUscc, waitFor } from '@backbone/testing';
import {
  fetchOnce,
  fillPath,
  holds,
  Operation,
  readOperations,
  requiredQuery,
  ROLE_TABLES,
  wellFormedPathValues,
  WRITE_METHODS,
} from './edge/openapi-operations';

/**
 * Least privilege, as one table: every route of every service's OpenAPI document × every kind of
 * caller (no key, an unknown key, an expired key, each department of the test system). What each
 * caller gets follows from the role configuration alone — the roles a route declares (`x-roles`, from
 * `@Roles`) and the departments holding each role (each service's `roleTable()`): public routes answer
 * everyone; without a valid key 401; a route's role not held 403 ROLE_REQUIRED; else the route answers
 * (a list 2xx; a record that does not exist 404; an empty body 400). Then the records: a department
 * reads its own tasks, cases, complaints and registrations, operators read all, and a case's evidence
 * and legal reviews are shown only to its parties.
 */
const EXPIRED_KEY = 'test-key-expired-client-2020-01-01';
const UNKNOWN_KEY = 'test-key-nobody-has-this-key-0000';
type CallerName = 'no key' | 'unknown key' | 'expired key' | TestDepartment;
const DEPARTMENTS = Object.keys(TEST_CLIENTS) as TestDepartment[];
const CALLERS: CallerName[] = ['no key', 'unknown key', 'expired key', ...DEPARTMENTS];
const OPERATOR: TestDepartment = 'PLATFORM-OPS';

function keyOf(caller: CallerName): string | undefined {
  if (caller === 'no key') return undefined;
  if (caller === 'unknown key') return UNKNOWN_KEY;
  if (caller === 'expired key') return EXPIRED_KEY;
  return TEST_CLIENTS[caller];
}

type Expected = 'answers' | 401 | 403;

/** What the role configuration says a caller gets on a route. */
function expected(operation: Operation, caller: CallerName): Expected {
  if (operation.public) return 'answers';
  if (caller === 'no key' || caller === 'unknown key' || caller === 'expired key') return 401;
  if (!operation.roles?.length) return 'answers';
  return operation.roles.some((role) => holds(operation.service, role, caller)) ? 'answers' : 403;
}

function agrees(operation: Operation, want: Expected, status: number, code: unknown): boolean {
  if (want === 401) return status === 401;
  if (want === 403) return status === 403 && code === 'ROLE_REQUIRED';
  if (status === 401 || status === 403 || status >= 500) return false;
  // A list answers 2xx; a record that does not exist 404; a write with an empty body is refused by validation.
  const list = operation.method === 'GET' && !operation.path.includes('{');
  return list ? status >= 200 && status < 300 : [200, 201, 202, 204, 400, 404, 409, 415, 422].includes(status);
}

/** The README's role table, made from the same configuration: per service, role → default departments → routes. */
export function roleTableMarkdown(operations: Operation[]): string {
  const lines = ['| service | role | departments (default) | routes |', '| --- | --- | --- | --- |'];
  for (const service of ALL_SERVICE_NAMES) {
    const byRole = new Map<string, string[]>();
    for (const operation of operations.filter((candidate) => candidate.service === service))
      for (const role of operation.roles ?? [])
        byRole.set(role, [...(byRole.get(role) ?? []), `\`${operation.method} ${operation.path}\``]);
    for (const [role, routes] of [...byRole].sort(([a], [b]) => a.localeCompare(b))) {
      const members = ROLE_TABLES[service][role] ?? [];
      lines.push(
        `| ${service} | ${role} | ${members.includes('*') ? 'every department with a key' : members.join(', ')} | ${routes.join(', ')} |`,
      );
    }
  }
  return lines.join('\n');
}

describe('authorization: every route × every caller, from the role configuration', () => {
  let system: TestSystem;
  const apiKeys = [
    ...Object.entries(TEST_CLIENTS).map(([department, key]) => `${key}=${department}`),
    `${EXPIRED_KEY}=320700-SAMR@2020-01-01`,
  ].join(',');

  beforeAll(async () => {
    system = await TestSystem.start(
      ALL_SERVICE_NAMES,
      Object.fromEntries(
        ALL_SERVICE_NAMES.map((name) => [
          name,
          // Wrong keys are the point here: the slow-down for repeated ones is tested on its own.
          {
            API_KEYS: apiKeys,
            AUTH_FAILURES_BEFORE_DELAY: '100000',
            AUTH_FAILURES_BEFORE_BLOCK: '100000',
            // a webhook delivery that fails once is dead-lettered at once (the re-drive rights below)
            ...(name === 'integration' ? { WEBHOOK_MAX_ATTEMPTS: '1', WEBHOOK_POLL_MS: '50' } : {}),
          },
        ]),
      ),
    );
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('answers each caller on each route as the role table says', async () => {
    const operations = await readOperations(system, ALL_SERVICE_NAMES);
    const mismatches: string[] = [];
    let cells = 0;
    const byService = new Map<ServiceName, Operation[]>();
    for (const operation of operations) byService.set(operation.service, [...(byService.get(operation.service) ?? []), operation]);
    await Promise.all(
      [...byService.values()].map(async (list) => {
        for (const operation of list) {
          const values = await wellFormedPathValues(system, operation);
          const url = `${system.service(operation.service).url}${fillPath(operation.path, values)}${requiredQuery(operation)}`;
          for (const caller of CALLERS) {
            const key = keyOf(caller);
            const response = await fetchOnce(url, {
              method: operation.method,
              headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
              body: WRITE_METHODS.has(operation.method) ? '{}' : undefined,
            });
            const text = await response.text();
            let code: unknown;
            try {
              code = (JSON.parse(text) as { code?: unknown }).code;
            } catch {
              code = undefined;
            }
            cells++;
            const want = expected(operation, caller);
            if (!agrees(operation, want, response.status, code))
              mismatches.push(
                `${operation.service} ${operation.method} ${operation.path} as ${caller}: expected ${want}, got ${response.status} ${String(code ?? '')}`,
              );
          }
        }
      }),
    );
    console.log(
      `authorization matrix: ${operations.length} routes × ${CALLERS.length} callers = ${cells} cells, ${mismatches.length} disagree with the role table` +
        mismatches
          .slice(0, 60)
          .map((line) => `\n  - ${line}`)
          .join(''),
    );
    expect(cells).toBe(operations.length * CALLERS.length);
    expect(mismatches).toEqual([]);
  });

  it("the README's role table is the one the configuration gives", async () => {
    const table = roleTableMarkdown(await readOperations(system, ALL_SERVICE_NAMES));
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = /<!-- role-table:begin -->\n([\s\S]*?)\n<!-- role-table:end -->/.exec(readme)?.[1];
    if (section !== table) console.log(`README role table out of date; it should read:\n${table}`);
    expect(section).toBe(table);
  });

  it('scopes reads to the parties: tasks, cases (evidence, legal reviews), complaints and registrations', async () => {
    const uscc = testUscc(8_800_001);
    const approval = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
      applicationNumber: 'AUTHZ-0001',
      uscc,
      entityName: '连云港授权矩阵测试有限公司',
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: 'JY13207039001',
    });
    expect(approval.status).toBe(201);
    const task = await waitFor('the task of the approval', async () => {
      const found = await system.call<Array<{ id: string; assignedDepartment: string }>>(
        'supervision',
        OPERATOR,
        'GET',
        `/tasks?approvalId=${approval.body.id}`,
      );
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    expect(task.assignedDepartment).toBe('320700-SAMR');

    const opened = await system.call('enforcement', '320700-SAMR', 'POST', '/cases', {
      uscc,
      violationCodes: ['FOOD-HYGIENE-01'],
      openedBy: '王芳',
      reason: '日常检查发现后厨卫生问题',
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    await system.call('enforcement', '320700-SAMR', 'POST', `/cases/${caseId}/investigation`, { investigator: '王芳' });
    const evidence = await system.call('enforcement', '320700-SAMR', 'POST', `/cases/${caseId}/evidence`, {
      collectedBy: '李强',
      description: '后厨现场照片 12 张',
      reference: 'EV-AUTHZ-0001',
    });
    expect(evidence.status).toBe(201);

    const complaint = await system.call('enforcement', '320700-SAMR', 'POST', '/complaints', {
      uscc,
      complainant: '张女士',
      content: '后厨卫生差',
    });
    expect(complaint.status).toBe(201);

    const registration = await system.call('supervision', '320700-SAMR', 'POST', '/registrations', {
      uscc: testUscc(8_800_002),
      entityName: '连云港授权矩阵药店有限公司',
      regionCode: '320703',
      businessScope: '药品零售',
      itemCodes: ['DRUG-RETAIL-LICENCE'],
    });
    expect(registration.status).toBe(201);
    const notified = new Set<string>(
      (registration.body.licencesNeeded as Array<{ licensingDepartment: string }>).map((licence) => licence.licensingDepartment),
    );
    expect(notified.size).toBeGreaterThan(0);

    /** The parties of each record, declared: who reads it in full. Everyone else: 404 (or, for a case, its public part). */
    const parties = {
      task: new Set<string>(['320700-SAMR', '320700-APPROVAL', OPERATOR]),
      case: new Set<string>(['320700-SAMR', '320700-LEGAL', OPERATOR]),
      complaint: new Set<string>(['320700-SAMR', OPERATOR]),
      registration: new Set<string>(['320700-SAMR', OPERATOR, ...notified]),
    };
    const wrong: string[] = [];
    for (const department of DEPARTMENTS) {
      const taskRead = await system.call('supervision', department, 'GET', `/tasks/${task.id}`);
      if (taskRead.status !== (parties.task.has(department) ? 200 : 404)) wrong.push(`task as ${department}: ${taskRead.status}`);
      const taskList = await system.call<unknown[]>('supervision', department, 'GET', `/tasks?approvalId=${approval.body.id}`);
      if (taskList.body.length !== (parties.task.has(department) ? 1 : 0))
        wrong.push(`task list as ${department}: ${taskList.body.length}`);

      const caseRead = await system.call('enforcement', department, 'GET', `/cases/${caseId}`);
      const full = Array.isArray(caseRead.body?.evidence) && Array.isArray(caseRead.body?.legalReviews);
      if (caseRead.status !== 200) wrong.push(`case as ${department}: ${caseRead.status}`);
      else if (parties.case.has(department) ? !full || caseRead.body.evidence.length !== 1 : full || 'evidence' in caseRead.body)
        wrong.push(`case as ${department}: ${parties.case.has(department) ? 'evidence missing' : 'evidence shown to a non-party'}`);
      const caseRecord = await system.call('enforcement', department, 'GET', `/cases/${caseId}/record`);
      if ((caseRecord.status === 200) !== parties.case.has(department)) wrong.push(`case record as ${department}: ${caseRecord.status}`);
      const caseList = await system.call<unknown[]>('enforcement', department, 'GET', `/cases?uscc=${uscc}`);
      if (caseList.body.length !== (parties.case.has(department) ? 1 : 0))
        wrong.push(`case list as ${department}: ${caseList.body.length}`);

      const complaintRead = await system.call('enforcement', department, 'GET', `/complaints/${complaint.body.id}`);
      if ((complaintRead.status === 200) !== parties.complaint.has(department) || ![200, 403, 404].includes(complaintRead.status))
        wrong.push(`complaint as ${department}: ${complaintRead.status}`);

      const registrationRead = await system.call('supervision', department, 'GET', `/registrations/${registration.body.id}`);
      if (registrationRead.status !== (parties.registration.has(department) ? 200 : 404))
        wrong.push(`registration as ${department}: ${registrationRead.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('keeps webhook subscriptions and deliveries to their department (read, re-drive, disable), operators act on all', async () => {
    const OWNER: TestDepartment = '320700-SAMR';
    const integration = (department: TestDepartment, method: string, path: string, body?: unknown) =>
      system.call('integration', department, method, path, body);
    // A host the operator did not allow: refused naming the field, the host not echoed, nothing written.
    const foreign = await integration(OWNER, 'POST', '/webhooks/subscriptions', {
      url: 'https://receiver.elsewhere.example/hooks',
      eventTypes: [SectorInspectionRecordedV1.type],
    });
    expect(foreign).toMatchObject({ status: 422, body: { code: 'WEBHOOK_URL_NOT_ALLOWED', details: { errors: [{ field: 'url' }] } } });
    expect(JSON.stringify(foreign.body)).not.toContain('elsewhere');
    expect((await integration(OPERATOR, 'GET', '/webhooks/subscriptions')).body).toEqual([]);

    // Nobody listens on port 9: the one attempt fails and the delivery is dead-lettered.
    const subscribed = await integration(OWNER, 'POST', '/webhooks/subscriptions', {
      url: 'http://127.0.0.1:9/hooks',
      eventTypes: [SectorInspectionRecordedV1.type],
    });
    expect(subscribed.status).toBe(201);
    const id = subscribed.body.id as string;
    const posted = await fetch(`${system.service('integration').url}/events`, {
      method: 'POST',
      headers: { 'x-api-key': TEST_CLIENTS[OWNER], 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id: 'AUTHZ-WEBHOOK-0001',
        source: `/departments/${OWNER}`,
        type: SectorInspectionRecordedV1.type,
        data: {
          inspectionNumber: 'JC-AUTHZ-0001',
          uscc: testUscc(8_800_003),
          department: OWNER,
          inspector: '李强',
          result: 'compliant',
          violations: [],
          inspectedAt: '2026-11-30T10:00:00+08:00',
        },
      }),
    });
    expect(posted.status).toBe(202);
    const dead = async () =>
      waitFor('the delivery to be dead-lettered', async () => {
        const list = await integration(OWNER, 'GET', `/webhooks/subscriptions/${id}/deliveries?status=dead`);
        return list.body.length === 1 ? (list.body[0] as { id: string }) : undefined;
      });
    const delivery = await dead();

    const wrong: string[] = [];
    const expect403 = async (department: TestDepartment, method: string, path: string) => {
      const answer = await integration(department, method, path);
      if (answer.status !== 403 || answer.body?.code !== 'NOT_OWN_SUBSCRIPTION')
        wrong.push(`${method} ${path} as ${department}: ${answer.status}`);
    };
    for (const department of DEPARTMENTS.filter((candidate) => candidate !== OWNER && candidate !== OPERATOR)) {
      await expect403(department, 'GET', `/webhooks/subscriptions/${id}`);
      await expect403(department, 'GET', `/webhooks/subscriptions/${id}/deliveries`);
      await expect403(department, 'POST', `/webhooks/deliveries/${delivery.id}/redrive`);
      await expect403(department, 'DELETE', `/webhooks/subscriptions/${id}`);
    }
    expect(wrong).toEqual([]);

    // The operator reads and re-drives it; it fails again, and its owner re-drives it; then both disable it.
    expect((await integration(OPERATOR, 'GET', `/webhooks/subscriptions/${id}`)).status).toBe(200);
    expect((await integration(OPERATOR, 'GET', `/webhooks/subscriptions/${id}/deliveries`)).body).toHaveLength(1);
    expect(await integration(OPERATOR, 'POST', `/webhooks/deliveries/${delivery.id}/redrive`)).toMatchObject({
      status: 200,
      body: { status: 'pending', attempts: 0 },
    });
    expect((await dead()).id).toBe(delivery.id);
    expect((await integration(OWNER, 'POST', `/webhooks/deliveries/${delivery.id}/redrive`)).status).toBe(200);
    expect(await integration(OWNER, 'DELETE', `/webhooks/subscriptions/${id}`)).toMatchObject({
      status: 200,
      body: { status: 'disabled' },
    });
    expect(await integration(OPERATOR, 'DELETE', `/webhooks/subscriptions/${id}`)).toMatchObject({
      status: 200,
      body: { status: 'disabled' },
    });
  });
});
