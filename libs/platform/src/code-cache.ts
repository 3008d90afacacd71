/**
 * Runs a service from its bundle (`dist/services/<name>/src/main.bundle.js`, one file built by
 * `scripts/bundle-services.mjs` from tsc's output) with a V8 code cache next to it (ADR 0032).
 *
 * A restart after kill -9 spent most of its CPU loading ~2,300 modules: resolving their paths, reading,
 * compiling and running them. The bundle removes the resolving and the many reads; the code cache removes
 * most of the compiling: V8 takes the bytecode of every function that ran while the modules were loaded
 * from `main.bundle.js.cache` instead of compiling it again.
 *
 * The cache is written by the build (`node serve.js --build-code-cache` runs the module bodies only, then
 * writes it), never by a serving process: a container's file system may be read-only or fresh at each
 * restart, and processes of one image then all read the same file. V8 rejects a cache made by another
 * V8 version, for another source or under other V8 flags (e.g. `--cpu-prof`); the service then compiles
 * as it would without one. The boot line says which (`code cache accepted|rejected|none`).
 *
 * Imports node's modules only: this file is loaded (from tsc's output) before the bundle.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { dirname } from 'node:path';
import { constants, Script } from 'node:vm';

/** Set (on globalThis) while the build runs a bundle to write its code cache: `runService` then stops before the config. */
export const LOAD_ONLY = Symbol.for('backbone.code-cache.load-only');
/** What became of the code cache of the running bundle (on globalThis), for the boot line. */
const STATE = Symbol.for('backbone.code-cache.state');

export type CodeCacheState = 'accepted' | 'rejected' | 'none';

type Globals = Record<symbol, unknown>;

/** `true` while the build runs the bundle only to cache its compiled code (runService returns at once). */
export function loadingOnly(): boolean {
  return (globalThis as Globals)[LOAD_ONLY] === true;
}

/** The code cache's fate in this process; undefined when the service was not started from its bundle. */
export function codeCacheState(): CodeCacheState | undefined {
  return (globalThis as Globals)[STATE] as CodeCacheState | undefined;
}

export function codeCacheFile(bundle: string): string {
  return `${bundle}.cache`;
}

/**
 * Compiles and runs `bundle` as node runs a CommonJS module (same wrapper, `require` relative to the
 * file, dynamic `import()` through node's loader), with the code cache if there is one. With
 * `buildCache`, it runs the module bodies only and writes the cache (atomically: written aside, then
 * renamed over the old one). Returns the bundle's `module.exports`.
 */
export function runBundle(bundle: string, { buildCache = false }: { buildCache?: boolean } = {}): unknown {
  const cacheFile = codeCacheFile(bundle);
  let cachedData: Buffer | undefined;
  if (!buildCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined; // none built (e.g. a bundle made by hand): compiled as usual
    }
  }
  const script = new Script(wrap(readFileSync(bundle, 'utf8')), {
    filename: bundle,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const globals = globalThis as Globals;
  globals[STATE] = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  globals[LOAD_ONLY] = buildCache;
  const module = { exports: {} as unknown, filename: bundle, id: bundle, loaded: false };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
  if (buildCache) {
    const aside = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(aside, script.createCachedData());
    renameSync(aside, cacheFile);
  }
  return module.exports;
}

/**
 * `source` with every character outside ASCII written as its `\uXXXX` escape, one per UTF-16 code unit
 * (ADR 0117). V8 keeps a bundle's source as one string for as long as the process runs, and one character
 * outside ASCII makes all of it a two-byte string: 10.8 instead of 5.7 MiB of every service's heap.
 * esbuild escapes such characters in string literals but leaves regular-expression literals as written
 * (validator's locale patterns, a terminal-escape pattern). The escape means the same character in a
 * string literal, a template's cooked text, a regular expression with or without the `u` flag (there a
 * pair of escaped surrogates is one code point) and a comment. In an identifier an escaped surrogate is a
 * syntax error, which the build's run of the bundle (its code cache) would report; a template's raw text
 * (`String.raw`) would read the escape itself: the bundles have neither (ADR 0117 says how it was checked).
 */
export function asciiSource(source: string): string {
  return source.replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * What `dist/services/<name>/src/serve.js` runs: the service from its bundle, or, given
 * `--build-code-cache` (by the build), the bundle's module bodies only, to write its code cache.
 */
export function serveBundle(bundle: string, argv: readonly string[] = process.argv): void {
  const buildCache = argv.includes('--build-code-cache');
  runBundle(bundle, { buildCache });
  if (buildCache) process.exit(0);
}
