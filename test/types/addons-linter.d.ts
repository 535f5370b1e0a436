// addons-linter ships no types; the end-to-end build check uses only this much of it.
declare module 'addons-linter' {
  interface Finding {
    code: string;
    message: string;
    file?: string;
  }
  const addonsLinter: {
    createInstance(options: { config: Record<string, unknown>; runAsBinary: boolean }): {
      run(): Promise<{ summary: Record<string, number>; errors: Finding[]; warnings: Finding[]; notices: Finding[] }>;
    };
  };
  export default addonsLinter;
}
