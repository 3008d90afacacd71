import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheFile, codeCacheState, runBundle } from './code-cache';

describe('runBundle (a service bundle run with its V8 code cache, ADR 0032)', () => {
  let dir: string;
  let bundle: string;
  const source = (answer: number) =>
    `exports.answer = ${answer}; exports.dir = __dirname; exports.file = __filename; exports.sep = require('node:path').sep;` +
    ` exports.fn = function add(a, b) { return a + b; }(1, 2);`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    bundle = join(dir, 'main.bundle.js');
    writeFileSync(bundle, source(42));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the file as a CommonJS module: its exports, __dirname, __filename and require', () => {
    expect(runBundle(bundle)).toEqual({ answer: 42, dir, file: bundle, sep: '/', fn: 3 });
    expect(codeCacheState()).toBe('none');
    expect(existsSync(codeCacheFile(bundle))).toBe(false); // a serving process never writes the cache
  });

  it('the build writes the cache, a later run takes it', () => {
    runBundle(bundle, { buildCache: true });
    expect(existsSync(codeCacheFile(bundle))).toBe(true);
    expect(runBundle(bundle)).toMatchObject({ answer: 42 });
    expect(codeCacheState()).toBe('accepted');
  });

  it('a cache made for another source is rejected, and the bundle runs compiled as usual', () => {
    runBundle(bundle, { buildCache: true });
    writeFileSync(bundle, source(4242));
    expect(runBundle(bundle)).toMatchObject({ answer: 4242 });
    expect(codeCacheState()).toBe('rejected');
  });
});
