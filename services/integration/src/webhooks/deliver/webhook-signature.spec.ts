import { Webhook } from 'standardwebhooks';
import { backoffMs, signedHeaders } from './webhook-signature';

const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe('webhook signatures (Standard Webhooks)', () => {
  const body = JSON.stringify({ specversion: '1.0', id: 'e-1', type: 'backbone.approval.decided.v1', data: { a: 1 } });

  it('verify with the receiver library', () => {
    const headers = signedHeaders(secret, 'e-1', body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it.each([
    ['a changed body', (headers: Record<string, string>) => ({ headers, body: body.replace('"a":1', '"a":2') })],
    ['another id', (headers: Record<string, string>) => ({ headers: { ...headers, 'webhook-id': 'e-2' }, body })],
    [
      'a signature made with another secret',
      () => ({ headers: signedHeaders(`whsec_${Buffer.alloc(32, 8).toString('base64')}`, 'e-1', body), body }),
    ],
  ])('fail with %s', (_, tamper) => {
    const forged = tamper(signedHeaders(secret, 'e-1', body));
    expect(() => new Webhook(secret).verify(forged.body, forged.headers)).toThrow();
  });

  it('fail when replayed after the tolerance (5 minutes)', () => {
    const old = signedHeaders(secret, 'e-1', body, new Date(Date.now() - 10 * 60_000));
    expect(() => new Webhook(secret).verify(body, old)).toThrow();
  });
});

describe('webhook backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 10, 30].map((failures) => backoffMs(failures, 1000, 60_000, middle))).toEqual([
      1000, 2000, 4000, 8000, 60_000, 60_000,
    ]);
  });

  it('spreads retries by at most 10 %', () => {
    expect(backoffMs(3, 1000, 60_000, () => 0)).toBe(3600);
    expect(backoffMs(3, 1000, 60_000, () => 1)).toBe(4400);
  });
});
