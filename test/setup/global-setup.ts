// Global setup runs outside jest's module mapping: import the seam by path.
import { infraToEnv, resolveInfra } from '../../libs/testing/src/infra';

/** Resolves Kafka and PostgreSQL once for the run and hands them to the workers through their environment. */
export default async function globalSetup(): Promise<void> {
  const infra = await resolveInfra();
  Object.assign(process.env, infraToEnv(infra));
  (globalThis as { __infra?: typeof infra }).__infra = infra;
  process.stdout.write(
    `\ntest infrastructure: ${infra.source} (kafka ${infra.kafkaBrokers}${infra.kafkaSecured ? `, SASL_SSL ${infra.kafkaSecured.brokers}` : ''}, postgres ${infra.database.host}:${infra.database.port})\n`,
  );
}
