import type { TestInfra } from '../../libs/testing/src/infra';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __infra?: TestInfra }).__infra?.stop?.();
}
