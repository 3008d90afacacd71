import { kafkaSecurityOptions, KafkaSecuritySettings, kafkaSecurityWarning } from './kafka-security';

const none: KafkaSecuritySettings = { KAFKA_SSL: false };
const files: Record<string, string> = {
  '/etc/kafka/ca.crt': 'CA PEM',
  '/etc/kafka/user.crt': 'CLIENT CERTIFICATE PEM',
  '/etc/kafka/user.key': 'CLIENT KEY PEM',
  '/etc/kafka/password': 'from-a-secret\n',
  '/etc/kafka/password-crlf': 'from-a-secret\r\n',
};

/** The files read, in order: each once. */
function reader() {
  const read: string[] = [];
  return {
    read,
    readFile: (path: string) => {
      read.push(path);
      if (!(path in files)) throw new Error(`ENOENT: ${path}`);
      return files[path];
    },
  };
}

describe('kafkaSecurityOptions: the settings as kafkajs options (ADR 0102)', () => {
  it.each<[string, KafkaSecuritySettings, ReturnType<typeof kafkaSecurityOptions>, string[]]>([
    ['nothing: PLAINTEXT without authentication, as before', none, {}, []],
    ["TLS verified against Node's trust store", { KAFKA_SSL: true }, { ssl: true }, []],
    [
      'TLS verified against the CA file',
      { KAFKA_SSL: true, KAFKA_SSL_CA_FILE: '/etc/kafka/ca.crt' },
      { ssl: { ca: ['CA PEM'] } },
      ['/etc/kafka/ca.crt'],
    ],
    [
      'mutual TLS',
      {
        KAFKA_SSL: true,
        KAFKA_SSL_CA_FILE: '/etc/kafka/ca.crt',
        KAFKA_SSL_CERT_FILE: '/etc/kafka/user.crt',
        KAFKA_SSL_KEY_FILE: '/etc/kafka/user.key',
      },
      { ssl: { ca: ['CA PEM'], cert: 'CLIENT CERTIFICATE PEM', key: 'CLIENT KEY PEM' } },
      ['/etc/kafka/ca.crt', '/etc/kafka/user.crt', '/etc/kafka/user.key'],
    ],
    [
      'SCRAM-SHA-512 over TLS, the password given',
      { KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'backbone', KAFKA_SASL_PASSWORD: 'p' },
      { ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'backbone', password: 'p' } },
      [],
    ],
    [
      'SCRAM-SHA-256, the password from a mounted Secret, its trailing line break dropped',
      {
        KAFKA_SSL: false,
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'backbone',
        KAFKA_SASL_PASSWORD_FILE: '/etc/kafka/password',
      },
      { sasl: { mechanism: 'scram-sha-256', username: 'backbone', password: 'from-a-secret' } },
      ['/etc/kafka/password'],
    ],
    [
      'PLAIN, a password file written on Windows',
      { KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/etc/kafka/password-crlf' },
      { ssl: true, sasl: { mechanism: 'plain', username: 'u', password: 'from-a-secret' } },
      ['/etc/kafka/password-crlf'],
    ],
  ])('%s', (_, settings, expected, reads) => {
    const { read, readFile } = reader();
    expect(kafkaSecurityOptions(settings, readFile)).toEqual(expected);
    expect(read).toEqual(reads);
  });

  it('reads real files by default', () => {
    expect(() => kafkaSecurityOptions({ KAFKA_SSL: true, KAFKA_SSL_CA_FILE: '/no/such/ca.pem' })).toThrow(/ENOENT.*\/no\/such\/ca\.pem/);
  });

  it('warns of PLAIN without TLS only, never naming the password', () => {
    const plain = { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2' } as const;
    expect(kafkaSecurityWarning({ KAFKA_SSL: false, ...plain })).toMatch(/^KAFKA_SASL_MECHANISM=plain without KAFKA_SSL=true/);
    expect(kafkaSecurityWarning({ KAFKA_SSL: false, ...plain })).not.toContain('hunter2');
    expect(kafkaSecurityWarning({ KAFKA_SSL: true, ...plain })).toBeUndefined();
    expect(kafkaSecurityWarning({ KAFKA_SSL: false, ...plain, KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toBeUndefined();
    expect(kafkaSecurityWarning(none)).toBeUndefined();
  });
});
