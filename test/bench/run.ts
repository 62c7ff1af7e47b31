/**
 * `npm run bench -- <scenario> [--option value ...]`: runs one benchmark scenario and prints its
 * figures; the last line is always one JSON object, so runs can be compared by machine.
 */
import { rootLogger } from '../../pkg/log/index.js';
import { api } from './api.js';
import { type BenchArgs, parseBenchArgs } from './args.js';
import { launch } from './launch.js';
import { scale } from './scale.js';
import { storeWrites } from './store-writes.js';
import { writes } from './writes.js';

const scenarios: Record<string, (args: BenchArgs) => Promise<Record<string, unknown>>> = {
  api,
  launch,
  scale,
  'store-writes': storeWrites,
  writes,
};

// Stores opened here (raw write ceilings) log at info; keep stdout for the figures.
if (!process.env['BOREALIS_LOG_LEVEL']) rootLogger().level = 'warn';

const { scenario, args } = parseBenchArgs(process.argv.slice(2));
const run = scenario === undefined ? undefined : scenarios[scenario];
if (!run) {
  process.stderr.write(
    `usage: npm run bench -- <scenario> [--option value]\nscenarios: ${Object.keys(scenarios).join(', ')}\n`,
  );
  process.exit(2);
}
const result = await run(args);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
