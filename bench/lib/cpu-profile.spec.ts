import { frameLabel, packageOf, parseLayer, summariseProfile } from './cpu-profile';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

describe('summariseProfile', () => {
  // root → main (dist/services/approval) → validate (class-validator) ; root → (idle)
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 4] },
      { id: 2, callFrame: frame('main', 'file:///repo/dist/services/approval/src/main.js'), children: [3] },
      { id: 3, callFrame: frame('validate', 'file:///repo/node_modules/class-validator/cjs/index.js') },
      { id: 4, callFrame: frame('(idle)') },
    ],
    // Sample i stands for timeDeltas[i + 1] µs.
    samples: [3, 2, 4, 3],
    timeDeltas: [0, 1000, 2000, 5000, 0],
    startTime: 0,
    endTime: 8000,
  };

  it('counts self time by function and by package, inclusive time once per stack, idle apart', () => {
    const summary = summariseProfile(profile);
    expect(summary.totalMs).toBe(8);
    expect(summary.idleMs).toBe(5);
    expect(summary.packages).toEqual([
      ['services/approval', 2],
      ['class-validator', 1],
    ]);
    expect(summary.inclusive[0]).toEqual([expect.stringMatching(/^main dist\/services\/approval/), 3]);
    expect(summariseProfile(profile, 'class-validator').inclusive).toEqual([[expect.stringMatching(/^validate/), 1]]);
  });

  it('puts each busy sample under the layer of the frame nearest its leaf, else "other"', () => {
    const layered = (layers: Array<[string, string]>) =>
      summariseProfile(
        profile,
        undefined,
        layers.map(([name, text]) => ({ name, text })),
      ).layers;
    // validate's own layer wins over main's; a sample in main alone is main's; idle is not busy.
    expect(
      layered([
        ['approval', 'dist/services/approval'],
        ['validation', 'class-validator'],
      ]),
    ).toEqual([
      ['approval', 2],
      ['validation', 1],
    ]);
    // Without a layer of its own, validate's sample goes to its caller's layer.
    expect(layered([['approval', 'services/approval']])).toEqual([['approval', 3]]);
    // A frame in two layers: the first given.
    expect(
      layered([
        ['first', 'validate'],
        ['second', 'class-validator'],
      ]),
    ).toEqual([
      ['other', 2],
      ['first', 1],
    ]);
    expect(summariseProfile(profile).layers).toEqual([]);
  });

  it('reads --layer as name=text', () => {
    expect(parseLayer('http-node=node:_http_')).toEqual({ name: 'http-node', text: 'node:_http_' });
    expect(parseLayer('a=b=c')).toEqual({ name: 'a', text: 'b=c' });
    expect(() => parseLayer('nameonly')).toThrow(/name=text/);
    expect(() => parseLayer('=text')).toThrow(/name=text/);
  });

  it('names packages, scoped ones with their scope', () => {
    expect(packageOf('file:///x/node_modules/@nestjs/core/router/a.js')).toBe('@nestjs/core');
    expect(packageOf('node:internal/streams/readable')).toBe('node:internal');
    expect(packageOf('')).toBe('(native/vm)');
  });
});

describe('frameLabel', () => {
  it("names a package's file from node_modules, its own dist/ included, and this repository's from dist/", () => {
    expect(frameLabel(frame('parseDataRowMessage', 'file:///repo/node_modules/pg-protocol/dist/parser.js'))).toBe(
      'parseDataRowMessage node_modules/pg-protocol/dist/parser.js:1',
    );
    expect(frameLabel(frame('main', 'file:///repo/dist/services/approval/src/main.js'))).toBe('main dist/services/approval/src/main.js:1');
    expect(frameLabel(frame('slice', 'node:buffer'))).toBe('slice node:buffer:1');
    expect(frameLabel(frame('(garbage collector)'))).toBe('(garbage collector)');
  });
});
