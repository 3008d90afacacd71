import { randomUUID } from 'node:crypto';
import { findWorkday } from 'chinese-days';
import {
  createEnvelope,
  Envelope,
  EventClass,
  INSPECTION_STRATA,
  InspectionPlanPublishedV1,
  inspectionPlanSubject,
  InspectionResultCategory,
  InspectionResultPublishedV1,
  InspectionResultRecordedV1,
  InspectionStratum,
  InspectionTaskDrawnV1,
  inspectionTaskSubject,
} from '@backbone/contracts';
import { testUscc } from '@backbone/testing';
import { HEALTH, SAMR } from './loop-month.fixture';

/** A published plan, as the generator made it. */
export interface KnownPlan {
  department: string;
  publishedAt: Date;
}

/** A task's current draw. */
export interface KnownTask {
  id: string;
  departments: string[];
  drawnAt: Date;
  deadline: Date;
  pool: Record<InspectionStratum, number>;
  drawn: Record<InspectionStratum, number>;
  register: { entities: number; keyEntities: number };
}

/** One department's result for a drawn entity. */
export interface KnownResult {
  taskId: string;
  checkId: string;
  uscc: string;
  department: string;
  stratum: InspectionStratum;
  category: InspectionResultCategory;
  inspectedAt: Date;
  recordedAt: Date;
  publishBy: Date;
  publishedAt?: Date;
  /** Set on the result that completed its check. */
  checkCompletedAt?: Date;
}

export interface InspectionMonth {
  envelopes: Envelope[];
  plans: KnownPlan[];
  tasks: KnownTask[];
  results: KnownResult[];
}

const at = (day: string, time: string) => new Date(`${day}T${time}+08:00`);
const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`);
const CATEGORIES: InspectionResultCategory[] = ['no_problem', 'ordered_to_correct', 'no_problem', 'not_operating', 'further_handling'];
const counts = (values: number[]) =>
  Object.fromEntries(INSPECTION_STRATA.map((s, i) => [s, values[i]])) as Record<InspectionStratum, number>;

/**
 * A month of random inspection around National Day 2025 (1–8 October off; Saturday 11 October a make-up
 * working day), with the answers kept beside: plans published before and in October; a joint task drawn
 * on 30 September (its checks outside October's draws, its results recorded after the holiday, inside);
 * a task drawn twice (the second round replaces the first); a joint task drawn on the make-up Saturday;
 * a task drawn on 20 October whose checks are partly left open past their deadline; one in November.
 * Checks are done by their deadline or late, or left open; results are published in time, late, or not
 * yet. Deadlines are working days (20 for a check from its draw, 20 for a result's publication from its
 * entry), counted by the chinese-days calendar.
 */
export function generateInspectionMonth(): InspectionMonth {
  const envelopes: Envelope[] = [];
  const emit = <T extends object>(eventClass: EventClass<T>, subject: string, correlationId: string, time: Date, data: T) =>
    envelopes.push(createEnvelope(eventClass, { source: '/services/inspection', subject, data, correlationId, time }));

  const plans: KnownPlan[] = [];
  for (const [department, day, title] of [
    [SAMR, '2025-09-28', '2025年度市场监管双随机抽查计划'],
    [HEALTH, '2025-10-09', '2025年度卫生健康双随机抽查计划'],
    [SAMR, '2025-10-11', '2025年第四季度餐饮专项抽查计划'],
    [HEALTH, '2025-11-03', '2026年度卫生健康抽查计划（草案公示）'],
  ] as const) {
    const planId = randomUUID();
    const publishedAt = at(day, '09:30:00');
    plans.push({ department, publishedAt });
    emit(InspectionPlanPublishedV1, inspectionPlanSubject(planId), planId, publishedAt, {
      planId,
      department,
      year: 2025,
      title,
      publishedAt: publishedAt.toISOString(),
    });
  }

  const tasks: KnownTask[] = [];
  const results: KnownResult[] = [];
  let entity = 0;
  let result = 0;
  const specs = [
    { reference: 'LYG-2025-0930', departments: [SAMR, HEALTH], days: ['2025-09-30'], drawn: [2, 2, 1, 1, 2], pool: [40, 60, 20, 5, 4] },
    {
      reference: 'LYG-2025-1009',
      departments: [SAMR],
      days: ['2025-10-09', '2025-10-10'],
      drawn: [1, 3, 2, 1, 1],
      pool: [30, 50, 20, 6, 3],
    },
    { reference: 'LYG-2025-1011', departments: [SAMR, HEALTH], days: ['2025-10-11'], drawn: [2, 2, 2, 1, 2], pool: [25, 45, 15, 4, 5] },
    { reference: 'LYG-2025-1020', departments: [HEALTH], days: ['2025-10-20'], drawn: [1, 2, 1, 1, 1], pool: [20, 30, 10, 3, 2] },
    { reference: 'LYG-2025-1103', departments: [SAMR], days: ['2025-11-03'], drawn: [1, 1, 1, 0, 1], pool: [10, 20, 10, 2, 2] },
  ];
  for (const [t, spec] of specs.entries()) {
    const taskId = randomUUID();
    const subject = inspectionTaskSubject(taskId);
    let task: KnownTask | undefined;
    for (const [r, day] of spec.days.entries()) {
      const drawnAt = at(day, '10:00:00');
      // A first round drew one entity fewer per stratum (it is replaced, so it never counts).
      const drawn = counts(spec.drawn.map((n) => (r < spec.days.length - 1 ? Math.max(0, n - 1) : n)));
      task = {
        id: taskId,
        departments: spec.departments,
        drawnAt,
        deadline: endOf(findWorkday(20, day)),
        pool: counts(spec.pool),
        drawn,
        register: { entities: 1000 + 10 * t, keyEntities: 40 + t },
      };
      emit(InspectionTaskDrawnV1, subject, taskId, drawnAt, {
        inspectionTaskId: taskId,
        taskReference: spec.reference,
        title: `双随机抽查 ${spec.reference}`,
        leadDepartment: spec.departments[0],
        departments: spec.departments,
        round: r + 1,
        drawnAt: drawnAt.toISOString(),
        checkDeadline: task.deadline.toISOString(),
        poolByStratum: task.pool,
        drawnByStratum: drawn,
        registerEntities: task.register.entities,
        registerKeyEntities: task.register.keyEntities,
      });
    }
    tasks.push(task!);
    const drawDay = spec.days[spec.days.length - 1];
    for (const stratum of INSPECTION_STRATA) {
      for (let n = 0; n < task!.drawn[stratum]; n++, entity++) {
        const uscc = testUscc(760_000 + entity);
        const checkId = randomUUID();
        // 0: done in time, published next day; 1: the last department records after the deadline;
        // 2: the lead records, the rest never do (a single-department check stays open); 3: published late;
        // 4: done in time, never published.
        const pattern = entity % 5;
        const recording = pattern === 2 ? spec.departments.slice(0, spec.departments.length > 1 ? 1 : 0) : spec.departments;
        for (const [k, department] of recording.entries()) {
          const last = k === spec.departments.length - 1;
          const recordDay = findWorkday(pattern === 1 && last ? 22 : 2 + k, drawDay);
          const recordedAt = at(recordDay, '15:00:00');
          const publishBy = endOf(findWorkday(20, recordDay));
          const publishedAt =
            pattern === 4
              ? undefined
              : pattern === 3
                ? at(findWorkday(21, recordDay), '10:00:00')
                : at(findWorkday(1, recordDay), '10:00:00');
          const known: KnownResult = {
            taskId,
            checkId,
            uscc,
            department,
            stratum,
            category: CATEGORIES[result++ % CATEGORIES.length],
            inspectedAt: at(recordDay, '10:00:00'),
            recordedAt,
            publishBy,
            publishedAt,
            checkCompletedAt: last ? recordedAt : undefined,
          };
          results.push(known);
          const resultId = randomUUID();
          emit(InspectionResultRecordedV1, uscc, taskId, recordedAt, {
            resultId,
            checkId,
            inspectionTaskId: taskId,
            taskReference: spec.reference,
            uscc,
            department,
            stratum,
            category: known.category,
            inspectedAt: known.inspectedAt.toISOString(),
            recordedAt: recordedAt.toISOString(),
            publishBy: publishBy.toISOString(),
            checkDeadline: task!.deadline.toISOString(),
            ...(known.checkCompletedAt ? { checkCompletedAt: known.checkCompletedAt.toISOString() } : {}),
          });
          if (publishedAt)
            emit(InspectionResultPublishedV1, uscc, taskId, publishedAt, {
              resultId,
              inspectionTaskId: taskId,
              uscc,
              department,
              publishBy: publishBy.toISOString(),
              publishedAt: publishedAt.toISOString(),
            });
        }
      }
    }
  }
  return { envelopes, plans, tasks, results };
}

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const within = (instant: Date | undefined, start: Date, end: Date) => instant !== undefined && instant >= start && instant < end;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * The figures of a period as the generator's answers say, counted plainly (one department, or all): the
 * meaning the console's figures promise (docs/domain.md §3), written a second time without SQL.
 */
export function expectedInspectionFigures(month: InspectionMonth, start: Date, end: Date, asOf: Date, department?: string) {
  const mine = (departments: string[]) => !department || departments.includes(department);
  const tasks = month.tasks.filter((task) => within(task.drawnAt, start, end) && mine(task.departments));
  const completed = (task: KnownTask) =>
    month.results.filter((r) => r.taskId === task.id && r.checkCompletedAt !== undefined && r.checkCompletedAt <= asOf);
  const perTask = tasks.map((task) => {
    const drawn = sum(Object.values(task.drawn));
    const done = completed(task);
    return {
      task,
      drawn,
      done: done.length,
      doneOnTime: done.filter((r) => r.checkCompletedAt! <= task.deadline).length,
      overdue: task.deadline < asOf ? drawn - done.length : 0,
    };
  });
  const results = month.results.filter((r) => within(r.recordedAt, start, end) && (!department || r.department === department));
  const published = (r: KnownResult) => r.publishedAt !== undefined && r.publishedAt <= asOf;
  const figuresOf = (taskRows: typeof perTask, resultRows: KnownResult[], plans: KnownPlan[]) => {
    const drawn = sum(taskRows.map((row) => row.drawn));
    const checksDoneOnTime = sum(taskRows.map((row) => row.doneOnTime));
    const problems = resultRows.filter((r) => r.category !== 'no_problem' && r.category !== 'not_operating').length;
    const publishedOnTime = resultRows.filter((r) => published(r) && r.publishedAt! <= r.publishBy).length;
    const awaiting = resultRows.filter((r) => !published(r));
    const checksDone = sum(taskRows.map((row) => row.done));
    const checksOverdue = sum(taskRows.map((row) => row.overdue));
    const publishedLate = resultRows.filter((r) => published(r) && r.publishedAt! > r.publishBy).length;
    const awaitingPastDeadline = awaiting.filter((r) => r.publishBy < asOf).length;
    return {
      plansPublished: plans.length,
      tasks: taskRows.length,
      drawn,
      checksDone,
      checksDoneOnTime,
      checksOverdue,
      // of the checks whose outcome is known: done, or past their deadline
      onTimeCompletionRate: share(checksDoneOnTime, checksDone + checksOverdue),
      results: resultRows.length,
      problems,
      problemRate: share(problems, resultRows.length),
      publishedOnTime,
      publishedLate,
      awaitingPublication: awaiting.length,
      awaitingPastDeadline,
      onTimePublicationRate: share(publishedOnTime, publishedOnTime + publishedLate + awaitingPastDeadline),
    };
  };
  const plans = month.plans.filter((plan) => within(plan.publishedAt, start, end) && (!department || plan.department === department));
  const departments = [
    ...new Set([...tasks.flatMap((t) => t.departments), ...results.map((r) => r.department), ...plans.map((p) => p.department)]),
  ]
    .filter((d) => !department || d === department)
    .sort();
  const rows = Object.fromEntries(
    departments.map((d) => [
      d,
      figuresOf(
        perTask.filter((row) => row.task.departments.includes(d)),
        results.filter((r) => r.department === d),
        plans.filter((p) => p.department === d),
      ),
    ]),
  );
  const strata = INSPECTION_STRATA.map((key) => {
    const pool = sum(tasks.map((t) => t.pool[key]));
    const drawn = sum(tasks.map((t) => t.drawn[key]));
    const inStratum = results.filter((r) => r.stratum === key);
    return {
      key,
      pool,
      drawn,
      samplingRate: share(drawn, pool),
      checksDone: sum(perTask.map((row) => completed(row.task).filter((r) => r.stratum === key).length)),
      results: inStratum.length,
      problems: inStratum.filter((r) => r.category !== 'no_problem' && r.category !== 'not_operating').length,
    };
  });
  const latest = [...month.tasks].filter((t) => t.drawnAt < end).sort((a, b) => b.drawnAt.getTime() - a.drawnAt.getTime())[0];
  const inspected = month.results.filter((r) => within(r.inspectedAt, start, end) && (!department || r.department === department));
  const entities = new Set(inspected.map((r) => r.uscc)).size;
  const keyEntities = new Set(inspected.filter((r) => r.stratum === 'K').map((r) => r.uscc)).size;
  return {
    totals: figuresOf(perTask, results, plans),
    rows,
    strata,
    coverage: {
      registerEntities: latest?.register.entities ?? 0,
      inspectedEntities: entities,
      coverage: share(entities, latest?.register.entities ?? 0),
      registerKeyEntities: latest?.register.keyEntities ?? 0,
      inspectedKeyEntities: keyEntities,
      keyCoverage: share(keyEntities, latest?.register.keyEntities ?? 0),
    },
  };
}
