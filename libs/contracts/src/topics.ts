/**
 * Kafka topics, defined once. One topic per producing service: events about one entity from one
 * producer share a topic and a key (the USCC), so Kafka keeps them in order.
 * Do not rename a topic without a migration plan: consumers and offsets depend on it.
 */
export const Topics = {
  ApprovalEvents: 'backbone.approval.events',
  SupervisionEvents: 'backbone.supervision.events',
  EnforcementEvents: 'backbone.enforcement.events',
  CreditEvents: 'backbone.credit.events',
  /** Inspection results of every programme (ad hoc and random), and the random-inspection service's events. */
  InspectionEvents: 'backbone.inspection.events',
  IntegrationEvents: 'backbone.integration.events',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/** Each consumer group has its own dead-letter topic. */
export function deadLetterTopic(consumerGroup: string): string {
  return `${consumerGroup}.dead-letter`;
}
