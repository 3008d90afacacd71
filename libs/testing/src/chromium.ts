/**
 * How the browser tests and the console bench start Chromium: Debian's package (installed by
 * scripts/test-tools.sh, never a browser download), headless, with nothing that reaches the network on
 * its own.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
