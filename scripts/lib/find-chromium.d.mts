/** An absolute path to an executable Chromium or Chrome (`CHROME_PATH` first), or undefined. */
export function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
/** Chromium flags that load the unpacked extension at `extensionDir` (shared by e2e tests and the demo). */
export function extensionLaunchArgs(extensionDir: string, options: { headless: boolean; sandbox?: boolean }): string[];
