import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore, hashApiKey } from './api-keys';
import { BaseServiceConfig, ConfigError, loadConfig, parseApiKeys } from './config';

class ServiceConfig extends BaseServiceConfig {
  override PORT = 3999;
  override DATABASE_NAME = 'probe';
}

const valid = {
  DATABASE_USER: 'backbone',
  DATABASE_PASSWORD: 'secret',
  KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.2:9092',
  API_KEYS: 'a-key-of-sixteen-chars=320700-SAMR,another-key-0000001=PLATFORM-OPS',
};

describe('service configuration', () => {
  it('reads variables, converting numbers and flags, with defaults', () => {
    const config = loadConfig(ServiceConfig, { ...valid, PORT: '4000', MIGRATIONS_RUN: 'false' });
    expect(config.PORT).toBe(4000);
    expect(config.MIGRATIONS_RUN).toBe(false);
    expect(config.DATABASE_PORT).toBe(5432);
    expect(config.DATABASE_NAME).toBe('probe');
    expect(loadConfig(ServiceConfig, valid).PORT).toBe(3999);
  });

  it('stops naming every missing or bad variable', () => {
    let error: unknown;
    try {
      loadConfig(ServiceConfig, { ...valid, DATABASE_USER: undefined, KAFKA_BROKERS: 'localhost', PORT: '70000', API_KEYS: 'short=X' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^DATABASE_USER: /m);
    expect(problems).toMatch(/^KAFKA_BROKERS: must be host:port/m);
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^API_KEYS: must be key=DEPARTMENT/m);
  });

  it('lowers its priority to nice 10 once listening unless NICE_ONCE_LISTENING says otherwise (0: unchanged)', () => {
    expect(loadConfig(ServiceConfig, valid).NICE_ONCE_LISTENING).toBe(10);
    expect(loadConfig(ServiceConfig, { ...valid, NICE_ONCE_LISTENING: '0' }).NICE_ONCE_LISTENING).toBe(0);
    expect(() => loadConfig(ServiceConfig, { ...valid, NICE_ONCE_LISTENING: '20' })).toThrow(/NICE_ONCE_LISTENING/);
  });

  it('keeps the old generation within twice its live set unless HEAP_GROWING_PERCENT says otherwise (0: V8 decides)', () => {
    expect(loadConfig(ServiceConfig, valid).HEAP_GROWING_PERCENT).toBe(100);
    expect(loadConfig(ServiceConfig, { ...valid, HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    expect(() => loadConfig(ServiceConfig, { ...valid, HEAP_GROWING_PERCENT: '-1' })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it('maps API keys to the departments they act for, keeping only their SHA-256 hashes', () => {
    expect(parseApiKeys(valid.API_KEYS)).toEqual(
      new Map([
        [hashApiKey('a-key-of-sixteen-chars'), '320700-SAMR'],
        [hashApiKey('another-key-0000001'), 'PLATFORM-OPS'],
      ]),
    );
  });

  it('takes hashed keys with an expiry, and refuses a malformed entry naming API_KEYS', () => {
    const hash = hashApiKey('a-key-of-sixteen-chars');
    const store = ApiKeyStore.fromConfig({ API_KEYS: `sha256:${hash}=320700-SAMR@2020-01-01T00:00:00Z,another-key-0000001=PLATFORM-OPS` });
    expect(store.lookup('a-key-of-sixteen-chars')).toEqual({ expired: expect.objectContaining({ department: '320700-SAMR' }) });
    expect(store.lookup('another-key-0000001')).toEqual({ client: { department: 'PLATFORM-OPS' } });
    expect(store.lookup('no-such-key-000000000')).toBeUndefined();
    expect(() => loadConfig(BaseServiceConfig, { ...valid, API_KEYS: 'short=X' })).toThrow(/API_KEYS/);
  });
});

describe('Kafka over TLS and SASL (ADR 0102)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-security-config-'));
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
  const password = file('password', 'from-a-secret\n');
  const empty = file('empty', '\n');
  const missing = join(dir, 'no-such-file.pem');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(BaseServiceConfig, { ...valid, PORT: '3999', DATABASE_NAME: 'probe', ...env });
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('needs nothing: PLAINTEXT without authentication, as before', () => {
    const config = loadConfig(ServiceConfig, valid);
    expect(config.KAFKA_SSL).toBe(false);
    expect(config.KAFKA_SASL_MECHANISM).toBeUndefined();
  });

  it.each([
    ["TLS with Node's trust store", { KAFKA_SSL: 'true' }],
    ['TLS with a CA file', { KAFKA_SSL: '1', KAFKA_SSL_CA_FILE: ca }],
    ['KAFKA_SSL in upper case', { KAFKA_SSL: 'TRUE', KAFKA_SSL_CA_FILE: ca }],
    ['mutual TLS', { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: ca, KAFKA_SSL_CERT_FILE: ca, KAFKA_SSL_KEY_FILE: key }],
    [
      'SCRAM over TLS, password given',
      { KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
    ],
    [
      'SCRAM, password from a file, upper case as Kafka writes it',
      { KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: password },
    ],
    [
      'PLAIN without TLS (allowed; the service warns at start)',
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
    ],
  ])('accepts %s', (_, env) => {
    expect(problemsOf(env)).toEqual([]);
  });

  it.each([
    ['KAFKA_SSL that is no flag', { KAFKA_SSL: 'yes' }, 'KAFKA_SSL: must be true or false'],
    ['a CA file without KAFKA_SSL', { KAFKA_SSL_CA_FILE: ca }, 'KAFKA_SSL_CA_FILE: is used only with KAFKA_SSL=true'],
    [
      'a CA file that cannot be read',
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: missing },
      `KAFKA_SSL_CA_FILE: cannot be read: ${missing} (ENOENT)`,
    ],
    [
      'a CA file without a certificate',
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: key },
      `KAFKA_SSL_CA_FILE: names a file without a PEM CERTIFICATE block: ${key}`,
    ],
    ['an empty CA file', { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: empty }, `KAFKA_SSL_CA_FILE: names an empty file: ${empty}`],
    [
      'a client certificate without its key',
      { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: ca },
      "KAFKA_SSL_CERT_FILE: needs KAFKA_SSL_KEY_FILE (the certificate's private key)",
    ],
    [
      'a client key without its certificate',
      { KAFKA_SSL: 'true', KAFKA_SSL_KEY_FILE: key },
      'KAFKA_SSL_KEY_FILE: needs KAFKA_SSL_CERT_FILE (the certificate of the key)',
    ],
    [
      'a client key that is no key',
      { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: ca, KAFKA_SSL_KEY_FILE: ca },
      `KAFKA_SSL_KEY_FILE: names a file without a PEM PRIVATE KEY block: ${ca}`,
    ],
    [
      'client certificates without KAFKA_SSL',
      { KAFKA_SSL_CERT_FILE: ca, KAFKA_SSL_KEY_FILE: key },
      ['KAFKA_SSL_CERT_FILE: is used only with KAFKA_SSL=true', 'KAFKA_SSL_KEY_FILE: is used only with KAFKA_SSL=true'],
    ],
    [
      'an unknown mechanism',
      { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
      'KAFKA_SASL_MECHANISM: must be plain, scram-sha-256 or scram-sha-512',
    ],
    [
      'a mechanism without a username',
      { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: 'p' },
      'KAFKA_SASL_USERNAME: is required with KAFKA_SASL_MECHANISM',
    ],
    [
      'a mechanism without a password',
      { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u' },
      'KAFKA_SASL_PASSWORD: is required with KAFKA_SASL_MECHANISM (or KAFKA_SASL_PASSWORD_FILE)',
    ],
    [
      'a password and a password file',
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: password },
      'KAFKA_SASL_PASSWORD: and KAFKA_SASL_PASSWORD_FILE are both set: give one',
    ],
    [
      'a username without a mechanism',
      { KAFKA_SASL_USERNAME: 'u' },
      'KAFKA_SASL_USERNAME: is used only with KAFKA_SASL_MECHANISM (plain, scram-sha-256 or scram-sha-512)',
    ],
    [
      'a password without a mechanism',
      { KAFKA_SASL_PASSWORD: 'p' },
      'KAFKA_SASL_PASSWORD: is used only with KAFKA_SASL_MECHANISM (plain, scram-sha-256 or scram-sha-512)',
    ],
    [
      'a password file without a mechanism',
      { KAFKA_SASL_PASSWORD_FILE: password },
      'KAFKA_SASL_PASSWORD_FILE: is used only with KAFKA_SASL_MECHANISM (plain, scram-sha-256 or scram-sha-512)',
    ],
    [
      'a password file that cannot be read',
      { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: missing },
      `KAFKA_SASL_PASSWORD_FILE: cannot be read: ${missing} (ENOENT)`,
    ],
    [
      'an empty password file',
      { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: empty },
      `KAFKA_SASL_PASSWORD_FILE: names an empty file: ${empty}`,
    ],
  ])('stops the boot on %s, naming the variable and the rule', (_, env, problem) => {
    expect(problemsOf(env)).toEqual([problem].flat());
  });

  it('never repeats the password in a problem', () => {
    const problems = problemsOf({ KAFKA_SASL_PASSWORD: 'hunter2-very-secret', KAFKA_SASL_USERNAME: 'u' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});
