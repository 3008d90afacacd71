export * from './infra';
export * from './database';
export * from './uscc-fixtures';
export * from './wait';
export * from './service-process';
export * from './test-system';
export * from './in-process-service';
export * from './unstorable-payloads';
