/**
 * `npm run demo [-- --headless] [-- --reset] [-- --port N] [-- --skip-build]`
 * Builds the demo flavour of the extension, starts the seeded demo CRM on 127.0.0.1, and opens Chromium
 * with the extension on a lead page. Headless: saves screenshots, prints their paths, exits 0.
 */
import { parseArgs } from 'node:util';
import { DemoError, extensionIdOf, runDemo } from './demo/run';
import { saveScreenshots } from './demo/screenshots';

const { values: args } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    reset: { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.DEMO_PORT ?? '5180' },
    'skip-build': { type: 'boolean', default: false },
  },
});

async function main() {
  const demo = await runDemo({ headless: args.headless, reset: args.reset, port: Number(args.port), skipBuild: args['skip-build'] });
  if (!demo.panelShown) console.warn('⚠ The panel did not appear on the lead page within 15 s.');
  const stop = () => void demo.shutdown().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  if (args.headless) {
    const shots = await saveScreenshots(demo);
    for (const shot of shots) console.log(`▸ Screenshot: ${shot}`);
    console.log(`Demo lead page: ${demo.leadUrl}`);
    await demo.shutdown();
    process.exit(demo.panelShown ? 0 : 1);
  }
  const dashboard = `chrome-extension://${await extensionIdOf(demo.context)}/dashboard.html`;
  console.log(`\nThe demo is running: ${demo.leadUrl}\nTeam dashboard: ${dashboard} (choose "Import from CRM" to load the team's earlier decisions)\nPress Ctrl-C to stop.`);
  demo.context.on('close', stop);
}

void main().catch((e: unknown) => {
  console.error(`✖ ${e instanceof DemoError || e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
