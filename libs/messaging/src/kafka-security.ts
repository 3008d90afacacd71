import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import type { BaseServiceConfig } from '@backbone/platform';

/** The settings that say how a service reaches a cluster that asks for TLS and/or SASL (ADR 0102). */
export type KafkaSecuritySettings = Pick<
  BaseServiceConfig,
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SSL_CERT_FILE'
  | 'KAFKA_SSL_KEY_FILE'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
  | 'KAFKA_SASL_PASSWORD_FILE'
>;

/** The part of kafkajs's `new Kafka({ ... })` these settings give. */
export interface KafkaSecurityOptions {
  /** `true`: TLS verified against Node's trust store; an object: the CA and client certificate given. */
  ssl?: ConnectionOptions | true;
  sasl?: SASLOptions;
}

/**
 * kafkajs's `ssl` and `sasl` options from settings loadConfig validated (ADR 0102). The files are read
 * here, once, with `read`: the CA, the client certificate and key, the password file (one trailing
 * line break dropped). Verification is never turned off: the brokers' certificates must chain to the
 * CA and name the host the client connects to.
 */
export function kafkaSecurityOptions(
  config: KafkaSecuritySettings,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): KafkaSecurityOptions {
  const options: KafkaSecurityOptions = {};
  if (config.KAFKA_SSL) {
    const tls: ConnectionOptions = {};
    if (config.KAFKA_SSL_CA_FILE) tls.ca = [read(config.KAFKA_SSL_CA_FILE)];
    if (config.KAFKA_SSL_CERT_FILE && config.KAFKA_SSL_KEY_FILE) {
      tls.cert = read(config.KAFKA_SSL_CERT_FILE);
      tls.key = read(config.KAFKA_SSL_KEY_FILE);
    }
    options.ssl = Object.keys(tls).length > 0 ? tls : true;
  }
  if (config.KAFKA_SASL_MECHANISM) {
    const password = config.KAFKA_SASL_PASSWORD_FILE
      ? read(config.KAFKA_SASL_PASSWORD_FILE).replace(/\r?\n$/, '')
      : (config.KAFKA_SASL_PASSWORD ?? '');
    options.sasl = { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME ?? '', password };
  }
  return options;
}

/** What an operator should hear at start about these settings, if anything (never the password). */
export function kafkaSecurityWarning(config: KafkaSecuritySettings): string | undefined {
  if (config.KAFKA_SASL_MECHANISM === 'plain' && !config.KAFKA_SSL) {
    return 'KAFKA_SASL_MECHANISM=plain without KAFKA_SSL=true: the SASL password crosses the network unencrypted';
  }
  return undefined;
}
