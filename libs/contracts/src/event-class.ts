import type { Topic } from './topics';

/**
 * A published event type: a class-validator payload class with its CloudEvents type and its topic.
 * A published type never changes in place: a breaking change is a new class (…V2) beside the old one.
 */
export interface EventClass<T extends object = object> {
  new (): T;
  /** CloudEvents `type`, versioned in its name, e.g. `backbone.approval.decided.v1`. */
  readonly type: string;
  readonly topic: Topic;
  /**
   * What the CloudEvents subject (and Kafka key) names: the market entity's USCC (the default), or, for
   * the events of a risk warning, which concern a scope rather than one entity, `risk-warning:<id>` (ADR 0071);
   * a random-inspection plan's or task's, `inspection-plan:<id>` / `inspection-task:<id>` (ADR 0041).
   */
  readonly subjectKind?: 'risk-warning' | 'inspection-plan' | 'inspection-task';
}

export type PayloadOf<C> = C extends EventClass<infer T> ? T : never;
