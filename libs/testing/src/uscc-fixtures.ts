import { usccCheckCharacter } from '@backbone/contracts';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid USCC (right check character) made from a number: distinct numbers give distinct codes. */
export function testUscc(n: number): string {
  let body = '';
  let rest = Math.abs(Math.floor(n));
  for (let i = 0; i < 8; i++) {
    body = ALPHABET[rest % 31] + body;
    rest = Math.floor(rest / 31);
  }
  const first17 = `91320700M${body}`;
  return first17 + usccCheckCharacter(first17);
}
