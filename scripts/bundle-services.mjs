// Bundles each service into one file and caches its compiled code (ADR 0032). Run by `npm run build`
// after tsc (whose output already carries the decorator metadata Nest and TypeORM read):
//   dist/services/<name>/src/main.bundle.js        tsc's main.js and everything it requires, one minified file (esbuild)
//   dist/services/<name>/src/main.bundle.js.cache  V8's code cache of it, written by running its module bodies
//   dist/services/<name>/src/serve.js              the entry point: runs the bundle with its cache
// A restart after kill -9 then loads one file instead of ~2,300 modules and compiles little of it.
// tsc's main.js stays runnable (unbundled) as before.
//
// Left out of the bundle (required from node_modules at run time, as before):
// - what cannot be resolved here: the optional requires of Nest, TypeORM and others (transports and
//   drivers this project does not install); they fail at run time exactly as they did unbundled;
// - packages that read files next to themselves (swagger-ui-dist serves its own directory), and those that
//   load a native binary of their platform (@node-rs/crc32, ADR 0106).
// `__dirname` in this repository's own files keeps pointing at the file's directory in dist.
//
// Replaced in the bundle: kafkajs's producer/groupMessagesPerPartition.js, quadratic in a batch's messages
// per partition, by libs/messaging's linear one (ADR 0108); and node-postgres's test for a Cloudflare
// Worker, which on Node 20 built a `Response` and so loaded node's fetch implementation (undici) and
// HTTP/2 at every boot (ADR 0120). The build fails if a file is not the one it replaces (another version),
// or if a service's bundle did not take the replacement.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { asciiSource } from '../dist/libs/platform/src/code-cache.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const READ_BESIDE_THEMSELVES = ['swagger-ui-dist', '@node-rs/crc32'];

const services = readdirSync(join(dist, 'services')).filter((name) => existsSync(join(dist, 'services', name, 'src', 'main.js')));

/** Bare imports esbuild cannot resolve (optional dependencies not installed) stay `require` calls. */
const unresolvedStayExternal = {
  name: 'unresolved-stay-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'probe' || args.path.startsWith('node:')) return undefined;
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      if (READ_BESIDE_THEMSELVES.includes(name)) return { path: args.path, external: true };
      const found = await builder.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'probe' });
      return found.errors.length > 0 ? { path: args.path, external: true } : undefined;
    });
  },
};

/** kafkajs 2.2.4's groupMessagesPerPartition.js, as installed: what the linear grouping replaces. */
const KAFKAJS_GROUPING = `module.exports = ({ topic, partitionMetadata, messages, partitioner }) => {
  if (partitionMetadata.length === 0) {
    return {}
  }

  return messages.reduce((result, message) => {
    const partition = partitioner({ topic, partitionMetadata, message })
    const current = result[partition] || []
    return Object.assign(result, { [partition]: [...current, message] })
  }, {})
}
`;
const linearGroupingModule = join(dist, 'libs', 'messaging', 'src', 'kafkajs-grouping.js');

/** node-postgres 8.23.1's lib/stream.js, as installed: its test for a Cloudflare Worker. */
const PG_CLOUDFLARE_TEST = `function isCloudflareRuntime() {
  // Since 2022-03-21 the \`global_navigator\` compatibility flag is on for Cloudflare Workers
  // which means that \`navigator.userAgent\` will be defined.
  // eslint-disable-next-line no-undef
  if (typeof navigator === 'object' && navigator !== null && typeof navigator.userAgent === 'string') {
    // eslint-disable-next-line no-undef
    return navigator.userAgent === 'Cloudflare-Workers'
  }
  // In case \`navigator\` or \`navigator.userAgent\` is not defined then try a more sneaky approach
  if (typeof Response === 'function') {
    const resp = new Response(null, { cf: { thing: true } })
    if (typeof resp.cf === 'object' && resp.cf !== null && resp.cf.thing) {
      return true
    }
  }
  return false
}
`;

/**
 * The vendor files the bundles take changed. Each is checked against its installed text (`whole`: the file
 * is exactly `expected`; else it holds it) and the build stops at another version; `replacement` is the
 * whole file's or `expected`'s. `vendor`, `change` and `adr` word the stop at another version; `what` and
 * `adr` name it when a bundle did not take it exactly once.
 */
const VENDOR_PATCHES = [
  {
    // kafkajs's quadratic grouping of a batch by partition, replaced by the linear one (ADR 0108).
    name: 'kafkajs-linear-grouping',
    filter: /[\\/]kafkajs[\\/]src[\\/]producer[\\/]groupMessagesPerPartition\.js$/,
    whole: true,
    expected: KAFKAJS_GROUPING,
    replacement: `module.exports = require(${JSON.stringify(linearGroupingModule)}).groupMessagesPerPartition;\n`,
    vendor: 'kafkajs 2.2.4',
    change: 'replacing',
    what: "kafkajs's groupMessagesPerPartition",
    adr: 'ADR 0108',
  },
  {
    // A bundle runs on Node, never in a Cloudflare Worker: node-postgres's test for one answers false
    // without touching the global `Response`, whose first use loads undici (ADR 0120: 9 fewer of node's
    // modules, about 2.4 MiB and 20 ms of CPU less a boot).
    name: 'pg-node-streams',
    filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/,
    whole: false,
    expected: PG_CLOUDFLARE_TEST,
    replacement: 'function isCloudflareRuntime() {\n  return false\n}\n',
    vendor: 'node-postgres 8.23.1',
    change: 'changing',
    what: "node-postgres's Cloudflare test",
    adr: 'ADR 0120',
  },
];

/** The esbuild plugin that applies one of VENDOR_PATCHES; `replaced` collects the files it changed. */
const vendorPatch = ({ name, filter, whole, expected, replacement, vendor, change, adr }, replaced) => ({
  name,
  setup(builder) {
    builder.onLoad({ filter }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (whole ? source !== expected : !source.includes(expected))
        throw new Error(`${args.path} is not ${vendor}'s: see whether it still needs ${change} (${adr}), then update bundle-services.mjs`);
      replaced.push(args.path);
      return { contents: whole ? replacement : source.replace(expected, replacement), loader: 'js' };
    });
  },
});

/** `__dirname` in the repository's own compiled files: the directory that file has in dist, not the bundle's. */
const ownDirname = (outdir) => ({
  name: 'own-dirname',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]dist[\\/](libs|services)[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!/\b__dirname\b/.test(source)) return undefined;
      const fromBundle = JSON.stringify(relative(outdir, dirname(args.path)));
      return { contents: source.replace(/\b__dirname\b/g, `require("node:path").join(__dirname, ${fromBundle})`), loader: 'js' };
    });
  },
});

await Promise.all(
  services.map(async (name) => {
    const outdir = join(dist, 'services', name, 'src');
    const replaced = VENDOR_PATCHES.map(() => []);
    const bundled = join(outdir, 'main.bundle.js');
    // Kept in memory (write: false) and written once below, the bundle made ASCII-only on the way.
    const { outputFiles } = await build({
      entryPoints: [join(outdir, 'main.js')],
      outfile: bundled,
      write: false,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Minified: V8 reads, parses and keeps less (11 → 5.5 MB for approval; about a tenth less CPU to
      // serve after kill -9, ADR 0032). Class and function names are kept: Nest and TypeORM report and key
      // some metadata by them, and stack traces still name them.
      minify: true,
      keepNames: true,
      // BUNDLE_SOURCEMAP=1 also writes main.bundle.js.map (the same code): perf's and --cpu-prof's
      // bundle:line:column frames then map back to their sources.
      sourcemap: process.env.BUNDLE_SOURCEMAP ? 'external' : false,
      logLevel: 'error',
      plugins: [unresolvedStayExternal, ownDirname(outdir), ...VENDOR_PATCHES.map((patch, i) => vendorPatch(patch, replaced[i]))],
    });
    VENDOR_PATCHES.forEach(({ what, adr }, i) => {
      if (replaced[i].length !== 1) throw new Error(`${name}: ${what} replaced ${replaced[i].length} times, not once (${adr})`);
    });
    // ASCII only, so that V8 holds the source as a one-byte string: 5 MiB less of each service's heap
    // (ADR 0117). The characters escaped sit in regular-expression literals of dependencies; a source
    // map's columns on their lines are off by the escapes' length.
    for (const file of outputFiles) writeFileSync(file.path, file.path === bundled ? asciiSource(file.text) : file.contents);
    // A map left by an earlier BUNDLE_SOURCEMAP build would describe another bundle.
    if (!process.env.BUNDLE_SOURCEMAP) rmSync(`${bundled}.map`, { force: true });
    const serve = relative(outdir, join(dist, 'libs', 'platform', 'src', 'code-cache.js'))
      .split('\\')
      .join('/');
    writeFileSync(
      join(outdir, 'serve.js'),
      [
        `// Generated by scripts/bundle-services.mjs: ${name} from main.bundle.js with its V8 code cache (ADR 0032).`,
        `require(${JSON.stringify(serve.startsWith('.') ? serve : `./${serve}`)}).serveBundle(require("node:path").join(__dirname, "main.bundle.js"));`,
        '',
      ].join('\n'),
    );
  }),
);

// One at a time: each run loads a whole service (about a second of CPU).
for (const name of services) {
  // Without NODE_OPTIONS: V8 flags of the build would make the cache fit only processes run with them.
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  execFileSync(process.execPath, [join(dist, 'services', name, 'src', 'serve.js'), '--build-code-cache'], { stdio: 'inherit', env });
}
process.stdout.write(`services bundled, code cached: ${services.join(', ')}\n`);
