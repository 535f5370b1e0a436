/** An absolute path to an executable Chromium or Chrome (`CHROME_PATH` first), or undefined. */
export function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
/** Chromium flags that load the unpacked extension at `extensionDir` (shared by e2e tests and the demo). */
export function extensionLaunchArgs(extensionDir: string, options: { headless: boolean; sandbox?: boolean }): string[];
/** What to do when no browser can be found or installed. */
export const HOW_TO_INSTALL: string;
/** Finds a Chromium, or installs Debian's `chromium` with apt-get (root, or sudo with a terminal). */
export function ensureChromium(options?: { log?: (line: string) => void }): { path: string; version: string } | { error: string };
/** An existing, executable regular file. */
export function isExecutable(file: string): boolean;
/** The executable `name` in `pathVar`'s folders (default $PATH), or undefined. */
export function onPath(name: string, pathVar?: string): string | undefined;
/** Installs Debian's `pkg` with apt-get for a browser `find` did not find, then finds it. */
export function installWithApt(options: {
  name: string;
  pkg: string;
  installArgs?: string[];
  howTo: string;
  find: () => string | undefined;
  log: (line: string) => void;
}): { path: string } | { error: string };
