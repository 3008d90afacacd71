import { decodeKeysetCursor, encodeKeysetCursor } from './cursor';
import { DomainError } from './errors';

describe('keyset cursors', () => {
  it('give back the position they were made from', () => {
    const position = { at: '2026-11-30T01:02:03.456789+00:00', id: '6f1d1a9e-0c1b-4f51-9a63-000000000001' };
    expect(decodeKeysetCursor(encodeKeysetCursor(position))).toEqual(position);
  });

  it.each([
    ['x'],
    [Buffer.from('["not a date","6f1d1a9e-0c1b-4f51-9a63-000000000001"]').toString('base64url')],
    [Buffer.from('["2026-11-30T00:00:00Z","1; DROP"]').toString('base64url')],
  ])('refuse %s with 422 BAD_CURSOR naming the field', (cursor) => {
    const error = (() => {
      try {
        decodeKeysetCursor(cursor);
      } catch (caught) {
        return caught as DomainError;
      }
    })();
    expect(error).toMatchObject({ code: 'BAD_CURSOR', status: 422, message: expect.stringMatching(/^cursor: /) });
  });
});
