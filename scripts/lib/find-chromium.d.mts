/** An absolute path to an executable Chromium or Chrome (`CHROME_PATH` first), or undefined. */
export function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
