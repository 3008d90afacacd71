import type { DataSource, EntityManager } from 'typeorm';
import type { CatalogEntry } from '../src/catalog/catalog-entry.entity';
import type { RoutingDecision } from '../src/catalog/route-approval';
import type { ApprovalRouting } from '../src/routing/approval-routing.service';
import { StoredApproval, SupervisionTask, TaskRoute } from '../src/tasks/supervision-task.entity';
import { EventOrigin, TaskRepository } from '../src/tasks/task.repository';
import type { SupervisionConfig } from '../src/supervision.config';

/** The transaction handle unit specs pass around: the fakes below never touch it. */
export const MANAGER = { fake: 'manager' } as unknown as EntityManager;

/** A DataSource whose transaction runs its work at once, with MANAGER. */
export function fakeDataSource(): DataSource {
  return { transaction: <T>(work: (manager: EntityManager) => Promise<T>) => work(MANAGER) } as unknown as DataSource;
}

export interface Published {
  type: string;
  taskId: string;
  data: Record<string, unknown>;
  origin?: EventOrigin;
}

/** Tasks in memory; what a save publishes is kept in `published`, in order. */
export class InMemoryTaskRepository extends TaskRepository {
  readonly rows = new Map<string, SupervisionTask>();
  readonly published: Published[] = [];
  saves = 0;

  constructor(...tasks: SupervisionTask[]) {
    super();
    for (const task of tasks) this.rows.set(task.id, task);
  }

  lock(_manager: EntityManager, id: string) {
    return Promise.resolve(this.rows.get(id) ?? null);
  }
  lockByApproval(_manager: EntityManager, approvalId: string) {
    return Promise.resolve([...this.rows.values()].find((task) => task.approvalId === approvalId) ?? null);
  }
  findByApproval(manager: EntityManager, approvalId: string) {
    return this.lockByApproval(manager, approvalId);
  }
  lockReturned(_manager: EntityManager, itemCode: string) {
    return Promise.resolve([...this.rows.values()].filter((task) => task.itemCode === itemCode && task.status === 'returned'));
  }
  lockOverdue(_manager: EntityManager, asOf: Date, limit: number) {
    return Promise.resolve(
      [...this.rows.values()].filter((t) => t.status === 'assigned' && t.escalatedAt === null && t.claimDeadline < asOf).slice(0, limit),
    );
  }
  lockReminderDue(_manager: EntityManager, asOf: Date, dueBy: Date, limit: number) {
    return Promise.resolve(
      [...this.rows.values()]
        .filter(
          (t) =>
            t.status === 'assigned' &&
            t.remindedAt === null &&
            t.escalatedAt === null &&
            t.claimDeadline >= asOf &&
            t.claimDeadline <= dueBy,
        )
        .slice(0, limit),
    );
  }
  async insert(manager: EntityManager, task: SupervisionTask) {
    this.rows.set(task.id, task);
    await this.publish(manager, task);
  }
  async save(manager: EntityManager, task: SupervisionTask, origin?: EventOrigin) {
    this.saves++;
    this.rows.set(task.id, task);
    await this.publish(manager, task, origin);
  }
  publish(_manager: EntityManager, task: SupervisionTask, origin?: EventOrigin) {
    for (const event of task.pullEvents()) {
      this.published.push({
        type: event.type.type,
        taskId: task.id,
        data: event.data as Record<string, unknown>,
        ...(origin ? { origin } : {}),
      });
    }
    return Promise.resolve();
  }

  /** The types published, in order. */
  types(): string[] {
    return this.published.map((event) => event.type);
  }
}

/** A catalog entry as far as routing and deadlines read it. */
export function entry(overrides: Partial<CatalogEntry> = {}): CatalogEntry {
  return { id: 'entry-1', version: 1, claimDeadlineDays: 2, verificationDeadlineDays: 20, ...overrides } as CatalogEntry;
}

export function route(department: string, overrides: Partial<TaskRoute> = {}): TaskRoute {
  return { routed: true, department, rule: 'separated', basis: 'separated', entry: entry(), ...overrides };
}

export const APPROVAL: StoredApproval = {
  approvalId: '00000000-0000-4000-8000-000000000001',
  version: 1,
  uscc: '91320700MA1MXXK01L',
  entityName: '连云港某食品有限公司',
  itemCode: 'FOOD-BUSINESS-LICENCE',
  regionCode: '320703',
  approverDepartment: '320700-APPROVAL',
  kind: 'licence',
  // Monday 9 June 2025, 10:00 China time: two working days → end of Wednesday 11 June.
  decidedAt: '2025-06-09T02:00:00.000Z',
};

/** A task assigned to `department` by routing, its TaskAssignedV1 already published. */
export function assignedTask(department = '320700-SAMR', approval: StoredApproval = APPROVAL): SupervisionTask {
  const task = SupervisionTask.open(approval, route(department), 'loop-1', new Date(approval.decidedAt), new Date('2025-06-09T02:00:00Z'));
  task.pullEvents();
  return task;
}

/** Routing that always answers `decision` (the catalog is not what these specs test). */
export function fixedRouting(decision: RoutingDecision): ApprovalRouting & { asked: StoredApproval[] } {
  const asked: StoredApproval[] = [];
  return {
    asked,
    route: (_manager: EntityManager, approval: StoredApproval) => {
      asked.push(approval);
      return Promise.resolve(decision);
    },
  } as unknown as ApprovalRouting & { asked: StoredApproval[] };
}

export function config(overrides: Partial<SupervisionConfig> = {}): SupervisionConfig {
  return {
    AUTO_CLAIM_DEPARTMENTS: '',
    OPERATOR_DEPARTMENTS: 'PLATFORM-OPS',
    // Departments a hand assignment may name (assertKnownDepartment).
    API_KEYS: '',
    KNOWN_DEPARTMENTS: '320700-SAMR,320700-HEALTH,320700-HOUSING,320700-MPA',
    roleTable: () => ({}),
    ...overrides,
  } as unknown as SupervisionConfig;
}
