import 'reflect-metadata';
export * from './uscc';
export * from './topics';
export * from './event-class';
export * from './envelope';
export * from './catalog';
export * from './events/approval-decided.v1';
export * from './events/supervision.v1';
export * from './events/enforcement.v1';
