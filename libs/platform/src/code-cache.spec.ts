import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asciiSource, codeCacheFile, codeCacheState, runBundle } from './code-cache';

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

describe('asciiSource (a bundle held as a one-byte string, ADR 0117)', () => {
  // What the bundles hold outside ASCII (regular expressions of their dependencies), with the other places
  // the escape must mean the same: strings, a template's cooked text, a `u` regular expression with a
  // character outside the basic plane, and a comment.
  const source = [
    'exports.alpha = /^[A-ZÄÖÜß]+$/i.test("GRÜß");',
    'exports.ansi = /[\u001B\u009B]\\[/.test("\u009B[");',
    'exports.text = "连云港" + `某某${1}食品`;',
    'exports.emoji = /^\u{1F600}$/u.test("😀") && /^😀$/u.test("😀") && /^😀$/.test("😀");',
    '// 注释',
    'exports.lengths = ["连云港".length, "😀".length];',
  ].join('\n');

  it('leaves no character outside ASCII and every value as it was', () => {
    const escaped = asciiSource(source);
    expect(escaped).not.toMatch(/[\u0080-\uffff]/);
    const run = (text: string) => new Function('exports', `${text}; return exports;`)({});
    expect(run(escaped)).toEqual(run(source));
    expect(run(escaped)).toEqual({ alpha: true, ansi: true, text: '连云港某某1食品', emoji: true, lengths: [3, 2] });
  });

  it('keeps ASCII text as it is', () => {
    const ascii = 'exports.a = /^[A-Z]+$/.test("AB") ? "\\u00e9" : `x`;';
    expect(asciiSource(ascii)).toBe(ascii);
  });
});
