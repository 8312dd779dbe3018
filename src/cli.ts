import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { normalizeAllowedHost } from './analysis/hosts.js';
import type { AuditOptions } from './audit.js';
import { discoverBundles } from './bundle/discover.js';
import { loadTrustedCertificates } from './bundle/trust.js';
import { defaultCacheDirectory } from './cache/open.js';
import { UsageError } from './common.js';
import { DEFAULT_LIMITS, type Limits } from './bundle/limits.js';
import type { HostEnvironment } from './installed/locate.js';
import { CONFIG_FILE_NAME, loadPolicy } from './policy/config.js';
import { DEFAULT_GATE, SEVERITIES, type Gate, type GateScope, type Report } from './report.js';
import type { Rule } from './engine/rule.js';
import { escapeText } from './escape.js';
import type { DiffFormat } from './diff/render.js';
import type { DiffReport } from './diff/report.js';
import { TOOL_VERSION } from './version.js';
import { tuneCompilerForAudits } from './compiler-tuning.js';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Node's streams report here a reader that went away (EPIPE: `dxt-audit … | head`). */
  on?(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

export interface CliIo {
  stdout: Stream;
  stderr: Stream;
  env: Readonly<Record<string, string | undefined>>;
  /** Where the policy file is looked up and what SARIF paths are relative to; the working directory when absent. */
  cwd?: string;
  /** Where `--installed` looks for Claude Desktop; this process's platform and home when absent. */
  host?: Omit<HostEnvironment, 'env'>;
}

export const EXIT = { clean: 0, gateFailed: 1, usage: 2, internal: 3 } as const;

const FORMATS = ['text', 'json', 'sarif', 'markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];
/** A diff has no page of its own: the HTML report draws one scan (diff/render.ts). */
const DIFF_FORMATS = ['text', 'json', 'sarif', 'markdown'] as const satisfies readonly DiffFormat[];

/** The flags scan and diff share (withAuditFlags, withLimitFlags). */
interface AuditFlags {
  format: Format;
  output?: string;
  failOn?: Gate;
  config?: string;
  advisories?: string;
  strictManifest: boolean;
  allowHost: string[];
  trustCert: string[];
  cache: boolean;
  cacheLocation?: string;
  maxArchiveBytes: number;
  maxTotalBytes: number;
  maxEntryBytes: number;
  maxEntries: number;
  maxRatio: number;
  maxCodeBytes: number;
}

interface DiffOptions extends Omit<AuditFlags, 'format'> {
  format: DiffFormat;
}

interface ScanOptions extends AuditFlags {
  installed: boolean;
  claudeDir?: string;
  baseline?: string;
  writeBaseline?: string;
  gateScope: GateScope;
  jobs?: number;
}

const GATE_SCOPES: readonly GateScope[] = ['all', 'named'];

const EXIT_CODES_HELP = `
Exit codes:
  0  no finding at or above the --fail-on gate, or --write-baseline wrote its file
  1  the gate failed (a corrupt or hostile bundle is a finding, so it lands here)
  2  usage error: unknown option, bad value, a path that does not exist
  3  dxt-audit itself failed on some bundle; the report marks that bundle incomplete`;

const DIFF_EXIT_CODES_HELP = `
Exit codes:
  0  nothing NEW adds or makes worse is at or above the --fail-on gate (findings kept or removed never fail)
  1  the gate failed: a finding NEW adds, or one it makes more severe, is at or above it
  2  usage error: unknown option, bad value, a path that does not exist or is not one bundle
  3  dxt-audit itself failed on either bundle; the diff marks that side incomplete`;

/** Runs the command line; returns the exit code. The only module that knows about the terminal. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  tuneCompilerForAudits();
  io = { ...io, stdout: untilReaderLeaves(io.stdout), stderr: untilReaderLeaves(io.stderr) };
  let exitCode: number = EXIT.clean;
  const program = new Command('dxt-audit')
    .description('Audit Claude Desktop Extension bundles (.dxt, .mcpb) statically, before anyone installs or runs them.')
    .version(TOOL_VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);

  const scanCommand = program
    .command('scan')
    .description(
      'audit bundles: each path is a .dxt/.mcpb file, an unpacked bundle folder (with manifest.json), ' +
        'or a folder holding such files and folders (each scanned as its own bundle)',
    )
    .argument('[paths...]', 'bundles or folders of bundles')
    .option('--installed', "also scan the extensions installed in Claude Desktop, and the servers configured in its claude_desktop_config.json", false)
    .option('--claude-dir <dir>', 'the Claude Desktop data folder to scan with --installed, instead of the usual place for this system (implies --installed)');
  withAuditFlags(scanCommand, { output: 'report', gate: 'any finding', formats: FORMATS, format: 'report format; html is one self-contained page that loads nothing' })
    .option('--baseline <file>', 'fail the gate only on findings and chains not recorded in this baseline')
    .option('--write-baseline <file>', "record this scan's findings and chains (fingerprints, never messages or evidence) as a baseline; exits 0 once it is written, the gate still shown")
    .addOption(
      new Option('--gate-scope <scope>', 'what decides the exit code: all, or named: only the bundles named here and the chains they form (with --installed, what is installed is reported but does not fail the gate)')
        .choices(GATE_SCOPES)
        .default('all'),
    );
  withLimitFlags(scanCommand)
    .addOption(
      new Option('--jobs <n>', 'threads to use (default: one per CPU core): several bundles at once, each on its own thread, when the batch is large enough to pay for starting threads; else bundles in turn, a large server\'s files parsed on the other threads')
        .argParser(positiveWhole),
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (paths: string[], options: ScanOptions) => {
      exitCode = await scan(paths, options, io);
    });

  const diffCommand = program
    .command('diff')
    .description(
      'audit two versions of one extension and report what NEW can do that OLD could not: findings added, removed or ' +
        'changed in severity, and tools, hosts, launch command, options, packages, native files, signature and publisher that changed',
    )
    .argument('<old>', 'the version in use: a .dxt/.mcpb file or an unpacked bundle folder (with manifest.json)')
    .argument('<new>', 'the update, the same way');
  withLimitFlags(withAuditFlags(diffCommand, { output: 'diff', gate: 'a finding NEW adds, or makes more severe,', formats: DIFF_FORMATS, format: 'diff format (no html: that page is for scan)' }))
    .addHelpText('after', DIFF_EXIT_CODES_HELP)
    .action(async (oldPath: string, newPath: string, options: DiffOptions) => {
      exitCode = await diffVersions(oldPath, newPath, options, io);
    });

  program
    .command('rules')
    .description('list every rule with its id, category, default severity and description (`explain <rule>` shows one in full)')
    .action(async () => {
      for (const { meta } of await ruleSet()) {
        io.stdout.write(`${meta.id.padEnd(32)} ${meta.category.padEnd(16)} ${meta.severity.padEnd(8)} ${meta.description}\n`);
      }
      if (io.stdout.isTTY === true) io.stdout.write('\nRun `dxt-audit explain <rule>` for what a rule flags, why, examples and false positives.\n');
    });

  program
    .command('explain')
    .description("print a rule's documentation: why it matters, what it flags, examples, false positives, what to do, references")
    .argument('<rule>', 'a rule id, as `dxt-audit rules` lists them')
    .action(async (id: string) => {
      exitCode = await explain(id, io);
    });

  try {
    await program.parseAsync(argv as string[], { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const informational = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      return informational ? EXIT.clean : EXIT.usage;
    }
    io.stderr.write(`dxt-audit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.internal;
  }
  return exitCode;
}

/** The rule's page (docs/rules/<id>.md), rendered here from the same metadata and examples. */
async function explain(id: string, io: CliIo): Promise<number> {
  const RULES = await ruleSet();
  const { closestIds, renderRulePage } = await import('./docs/rule-page.js');
  const rule = RULES.find(({ meta }) => meta.id === id.trim().toLowerCase());
  if (rule === undefined) {
    const closest = closestIds(id, RULES.map(({ meta }) => meta.id));
    const hint = closest.length > 0 ? `; did you mean ${closest.join(', ')}?` : '';
    io.stderr.write(`dxt-audit: no rule "${escapeText(id)}"${hint} (run \`dxt-audit rules\` for the list)\n`);
    return EXIT.usage;
  }
  // Loaded only here: the fixtures' text is of no use to a scan.
  const { RULE_EXAMPLES } = await import('./docs/examples.js');
  io.stdout.write(renderRulePage(rule.meta, RULE_EXAMPLES[rule.meta.id] ?? []));
  return EXIT.clean;
}

async function scan(paths: string[], options: ScanOptions, io: CliIo): Promise<number> {
  const installed = options.installed || options.claudeDir !== undefined;
  if (paths.length === 0 && !installed) {
    io.stderr.write('dxt-audit: give bundles or folders to scan, or --installed (run with --help for usage)\n');
    return EXIT.usage;
  }
  if (paths.length === 0 && options.gateScope === 'named') {
    io.stderr.write('dxt-audit: --gate-scope named judges the bundles named to scan, and none is named: nothing would decide the gate\n');
    return EXIT.usage;
  }
  let report: Report;
  try {
    const progress = io.stderr.isTTY === true ? progressLine(io.stderr) : undefined;
    const shared = await sharedAuditOptions(options, io);
    const baseline = options.baseline === undefined ? undefined : await (await import('./policy/baseline.js')).readBaseline(options.baseline);
    const auditOptions: AuditOptions = {
      ...shared,
      ...(baseline === undefined ? {} : { baseline }),
      gateScope: options.gateScope,
      ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
      ...(progress === undefined ? {} : { onProgress: progress }),
    };
    const host = { platform: io.host?.platform ?? process.platform, home: io.host?.home ?? homedir(), env: io.env };
    const { auditTargets } = await import('./audit.js');
    const fromInstallation = installed ? await (await import('./installed/scan.js')).readInstalled(options.claudeDir, host, await ruleSet()) : undefined;
    const targets = [...(paths.length > 0 ? await discoverBundles(paths) : []), ...(fromInstallation?.targets ?? [])];
    report = await auditTargets(targets, auditOptions, fromInstallation);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`dxt-audit: ${error.message}\n`);
    return EXIT.usage;
  }
  if (options.writeBaseline !== undefined && !(await written(options.writeBaseline, (await import('./policy/baseline.js')).renderBaseline(report), io))) return EXIT.usage;
  const rendered = await render(report, options.format, { color: colorFor(options, io), cwd: io.cwd ?? process.cwd() });
  if (!(await delivered(rendered, options, io))) return EXIT.usage;
  if (report.summary.internalError) return EXIT.internal;
  // Writing a baseline records what is known today: the report shows the gate, which is not enforced.
  if (options.writeBaseline !== undefined) return EXIT.clean;
  return report.summary.failed ? EXIT.gateFailed : EXIT.clean;
}

async function diffVersions(oldPath: string, newPath: string, options: DiffOptions, io: CliIo): Promise<number> {
  let compared: DiffReport;
  try {
    const progress = io.stderr.isTTY === true ? progressLine(io.stderr) : undefined;
    const { diff } = await import('./diff/diff.js');
    compared = await diff(oldPath, newPath, { ...(await sharedAuditOptions(options, io)), ...(progress === undefined ? {} : { onProgress: progress }) });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`dxt-audit: ${error.message}\n`);
    return EXIT.usage;
  }
  const { renderDiff } = await import('./diff/render.js');
  const rendered = renderDiff(compared, options.format, { color: colorFor(options, io), cwd: io.cwd ?? process.cwd(), rules: await ruleSet() });
  if (!(await delivered(rendered, options, io))) return EXIT.usage;
  if (compared.summary.internalError) return EXIT.internal;
  return compared.summary.failed ? EXIT.gateFailed : EXIT.clean;
}

/** What the flags scan and diff share ask of the audit: policy file, advisories, gate, manifest strictness, hosts, trusted roots, limits. */
async function sharedAuditOptions(options: AuditFlags, io: CliIo): Promise<AuditOptions> {
  const policy = await loadPolicy(options.config, io.cwd ?? process.cwd(), ruleSet);
  const advisories = options.advisories === undefined ? undefined : await (await import('./deps/advisories.js')).loadAdvisories(options.advisories, io.cwd ?? process.cwd());
  const limits: Limits = {
    ...DEFAULT_LIMITS,
    maxArchiveBytes: options.maxArchiveBytes,
    maxTotalBytes: options.maxTotalBytes,
    maxEntryBytes: options.maxEntryBytes,
    maxEntries: options.maxEntries,
    maxRatio: options.maxRatio,
    maxCodeBytes: options.maxCodeBytes,
  };
  return {
    ...(options.failOn === undefined ? {} : { failOn: options.failOn }),
    ...(policy === undefined ? {} : { policy }),
    ...(advisories === undefined ? {} : { advisories }),
    strictManifest: options.strictManifest,
    allowedHosts: options.allowHost,
    trustedCertificates: await loadTrustedCertificates(options.trustCert, io.cwd ?? process.cwd()),
    limits,
    ...cacheOptions(options, io),
  };
}

/** `--cache` in the user's cache folder, or `--cache-location`, which turns the cache on by itself. */
function cacheOptions(options: Pick<AuditFlags, 'cache' | 'cacheLocation'>, io: CliIo): Pick<AuditOptions, 'cache' | 'onWarning'> {
  if (!options.cache && options.cacheLocation === undefined) return {};
  const directory =
    options.cacheLocation === undefined
      ? defaultCacheDirectory(io.env, io.host?.platform ?? process.platform, io.host?.home ?? homedir())
      : path.resolve(io.cwd ?? process.cwd(), options.cacheLocation);
  return { cache: { directory }, onWarning: (line) => io.stderr.write(`dxt-audit: ${escapeText(line)}\n`) };
}

/** The flags scan and diff share, declared once so that both commands parse and document them alike. */
function withAuditFlags(command: Command, words: { output: string; gate: string; formats: readonly string[]; format: string }): Command {
  return command
    .addOption(new Option('-f, --format <format>', words.format).choices(words.formats).default('text'))
    .option('-o, --output <file>', `write the ${words.output} to this file instead of standard output`)
    .addOption(
      new Option('--fail-on <severity>', `exit 1 when ${words.gate} is at or above this severity; none never fails (default: the policy file's failOn, else ${DEFAULT_GATE})`).choices([
        ...SEVERITIES,
        'none',
      ]),
    )
    .option('--config <file>', `the policy file: allowed hosts and paths, severity overrides, disabled rules, suppressions (default: ./${CONFIG_FILE_NAME} when present)`)
    .option('--advisories <file>', 'more known-vulnerable or malicious packages to match bundled packages against, added to the built-in table (schema/advisories.schema.json)')
    .option('--strict-manifest', 'treat unknown manifest keys as violations, like the reference validator', false)
    .addOption(
      new Option('--allow-host <host>', 'a host the extension may talk to besides those its manifest names (repeatable; subdomains included)')
        .argParser(collectHost)
        .default([]),
    )
    .addOption(
      new Option('--trust-cert <file>', "a PEM certificate (a company CA, a publisher's root) trusted for bundle signatures besides Node's bundled roots (repeatable)")
        .argParser(collect)
        .default([]),
    )
    .option('--cache', 'keep the facts of each analysed file, and the audit of each bundle, in the user cache folder and reuse them on later scans (the report is the same; docs/cache.md)', false)
    .option('--cache-location <dir>', 'the cache folder (implies --cache)');
}

function withLimitFlags(command: Command): Command {
  return command
    .addOption(limitOption('--max-archive-bytes <n>', 'largest archive file read into memory', 'maxArchiveBytes'))
    .addOption(limitOption('--max-total-bytes <n>', 'most uncompressed bytes read from one bundle', 'maxTotalBytes'))
    .addOption(limitOption('--max-entry-bytes <n>', 'most uncompressed bytes read from one file', 'maxEntryBytes'))
    .addOption(limitOption('--max-entries <n>', 'most entries read from one bundle', 'maxEntries'))
    .addOption(limitOption('--max-ratio <n>', 'highest compression ratio of one entry (past 1 MiB inflated)', 'maxRatio'))
    .addOption(limitOption('--max-code-bytes <n>', 'most bytes of code parsed for one server, in the order it loads them', 'maxCodeBytes'));
}

/** Colour only on a terminal, never with NO_COLOR or FORCE_COLOR=0, never into a file. */
function colorFor(options: Pick<AuditFlags, 'output'>, io: CliIo): boolean {
  const forcedOff = io.env.FORCE_COLOR === '0' || io.env.FORCE_COLOR === 'false';
  return options.output === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR && !forcedOff;
}

/**
 * A stream that drops what is written once its reader has gone (`dxt-audit explain x | head`): the
 * reader chose to stop, so that is neither an error nor a stack trace, and the exit code stays the
 * command's own (a failed gate still exits 1).
 */
function untilReaderLeaves(stream: Stream): Stream {
  let open = true;
  stream.on?.('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    open = false;
  });
  return { isTTY: stream.isTTY, write: (text) => open && stream.write(text) };
}

/** Writes the output to --output, else to standard output; false when the file cannot be written. */
async function delivered(text: string, options: Pick<AuditFlags, 'output'>, io: CliIo): Promise<boolean> {
  if (options.output !== undefined) return written(options.output, text, io);
  io.stdout.write(text);
  return true;
}

/**
 * The report in the format asked for; each renderer is loaded only when it is the one, and the rule
 * set (for remediation lines and SARIF's rule table) only by the formats that print from it.
 */
async function render(report: Report, format: Format, context: { color: boolean; cwd: string }): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('./reporters/json.js')).renderJson(report);
    case 'sarif':
      return (await import('./reporters/sarif.js')).renderSarif(report, { rules: await ruleSet(), cwd: context.cwd });
    case 'markdown':
      return (await import('./reporters/markdown.js')).renderMarkdown(report, { rules: await ruleSet() });
    case 'html':
      return (await import('./reporters/html.js')).renderHtml(report, { rules: await ruleSet() });
    case 'text':
      return (await import('./reporters/text.js')).renderText(report, { color: context.color, rules: await ruleSet() });
  }
}

/**
 * Every rule of this version. The analysis is loaded with it, when a command first needs either:
 * `--version`, `--help`, usage errors and a JSON report of bundles read back from the cache never
 * pay for loading it.
 */
async function ruleSet(): Promise<readonly Rule[]> {
  return (await import('./audit-content.js')).RULES;
}

async function written(file: string, text: string, io: CliIo): Promise<boolean> {
  try {
    await writeFile(file, text);
    return true;
  } catch (error) {
    io.stderr.write(`dxt-audit: cannot write ${file}: ${(error as Error).message}\n`);
    return false;
  }
}

function collectHost(value: string, previous: string[]): string[] {
  const host = normalizeAllowedHost(value);
  if (host === '') throw new InvalidArgumentError('expected a host name or address, such as api.example.com');
  return [...previous, host];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function limitOption(flags: string, description: string, key: keyof Limits): Option {
  return new Option(flags, description).argParser(positiveWhole).default(DEFAULT_LIMITS[key]);
}

function positiveWhole(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive whole number');
  return Number(value);
}

/** `[3/10] path` on one terminal line, rewritten as bundles finish and cleared after the last. */
function progressLine(stderr: Stream): NonNullable<AuditOptions['onProgress']> {
  return (done, total, source) => {
    const line = `[${done}/${total}] ${escapeText(source)}`;
    stderr.write(`\r\u001b[2K${done === total ? '' : line.slice(0, 120)}`);
  };
}
