// The start-up section: whole processes, spawn to exit, of `dxt-audit --version` and of a scan of the
// hello-world example, over bare `node -e 0`. The three commands take turns, so that a busy moment
// slows all of them; each figure is a median over the rounds.
import { seconds, table } from './format.js';
import { median, runNode, stderrTail } from './measure.js';
import type { Figure } from './targets.js';

/** Start-ups are short and noisy: this many rounds for each of `--runs`. */
export const ROUNDS_PER_RUN = 5;
const TARGET_S = 0.3;

const COMMANDS = {
  bare: { label: '`node -e 0`', args: ['-e', '0'] },
  version: { label: '`node bin/dxt-audit.js --version`', args: ['bin/dxt-audit.js', '--version'] },
  hello: { label: '`node bin/dxt-audit.js scan fixtures/examples/hello-world.dxt`', args: ['bin/dxt-audit.js', 'scan', 'fixtures/examples/hello-world.dxt'] },
} as const;
type Command = keyof typeof COMMANDS;

export type Startup = Record<Command, number>;

/** Median milliseconds of each command. */
export async function measureStartup(runs: number): Promise<Startup> {
  const times: Record<Command, number[]> = { bare: [], version: [], hello: [] };
  const rounds = runs * ROUNDS_PER_RUN;
  for (let round = 1; round <= rounds; round++) {
    for (const command of Object.keys(COMMANDS) as Command[]) {
      const exited = await runNode(COMMANDS[command].args);
      // 1 is the scan's gate failing on a finding; anything else is the command failing.
      if (exited.code !== 0 && exited.code !== 1) throw new Error(`${COMMANDS[command].label} exited with ${exited.code ?? exited.signal}:\n${stderrTail(exited)}`);
      times[command].push(exited.totalMs);
    }
  }
  console.log(`  ${rounds} rounds`);
  return { bare: median(times.bare), version: median(times.version), hello: median(times.hello) };
}

export function startupFigures(startup: Startup): Figure[] {
  return (['version', 'hello'] as const).map((command) => ({
    name: `start-up: ${command === 'version' ? '--version' : 'scan of hello-world.dxt'}, over bare node`,
    value: (startup[command] - startup.bare) / 1000,
    unit: 's',
    atMost: TARGET_S,
  }));
}

export function startupTable(startup: Startup): string {
  return table(
    ['command', 'spawn to exit s', 'over bare node s'],
    (Object.keys(COMMANDS) as Command[]).map((command) => [COMMANDS[command].label, seconds(startup[command]), command === 'bare' ? '–' : seconds(startup[command] - startup.bare)]),
  );
}
