import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AuditTarget } from '../audit-job.js';
import { UsageError } from '../common.js';
import type { Rule, RuleMeta } from '../engine/rule.js';
import { findingFor } from '../engine/run.js';
import { pointerOf } from '../manifest/access.js';
import { detectRuntimeFetch, RUNTIME_FETCH_RULE_ID, runtimeFetchMessage } from '../manifest/runtime-fetch.js';
import { withFingerprints } from '../engine/fingerprint.js';
import type { BundleReport, RawFinding } from '../report.js';
import { levelOf, scoreFindings } from '../scoring/score.js';
import { claudeDataDirectories, type HostEnvironment } from './locate.js';
import { CONFIG_FILE, readInstallation, type ConfiguredServer, type Installation } from './read.js';

// A Claude Desktop installation as audit input: each extension folder is a bundle to audit, with
// what the data folder says about it (enabled, granted directories, registry entry); each server
// configured by hand in claude_desktop_config.json is listed with what its command line shows, since
// its code is not in any bundle. A launcher that downloads its code at start-up (`npx -y pkg@latest`)
// is the same supply-chain finding a manifest's mcp_config gets.

export interface InstalledInput {
  targets: AuditTarget[];
  configured: BundleReport[];
  installed: { dataDirectories: string[]; problems: string[] };
}

/**
 * Reads the installations in `claudeDir` (given with --claude-dir) or in every Claude Desktop data
 * folder that exists on this machine (Windows can have the classic and the Store build's).
 * Throws UsageError when there is none: scanning nothing must never pass for a clean result.
 * `rules` are the run's rules: configured servers' command lines are checked by
 * manifest-runtime-fetch when it is among them.
 */
export async function readInstalled(claudeDir: string | undefined, host: HostEnvironment, rules: readonly Rule[]): Promise<InstalledInput> {
  const candidates = claudeDir === undefined ? claudeDataDirectories(host) : [claudeDir];
  const found: string[] = [];
  for (const candidate of candidates) if ((await fs.stat(candidate).catch(() => null))?.isDirectory()) found.push(candidate);
  if (found.length === 0) {
    throw new UsageError(
      claudeDir === undefined
        ? `no Claude Desktop data folder found (looked in ${candidates.join(', ')}); give one with --claude-dir`
        : `no such directory: ${claudeDir}`,
    );
  }
  const runtimeFetch = rules.find(({ meta }) => meta.id === RUNTIME_FETCH_RULE_ID)?.meta;
  const input: InstalledInput = { targets: [], configured: [], installed: { dataDirectories: found, problems: [] } };
  for (const directory of found) {
    const installation = await readInstallation(directory);
    input.targets.push(...installedTargets(installation));
    input.configured.push(...configuredServerReports(installation, runtimeFetch));
    input.installed.problems.push(...installation.problems.map((problem) => (found.length > 1 ? `${directory}: ${problem}` : problem)));
  }
  return input;
}

function installedTargets(installation: Installation): AuditTarget[] {
  return installation.extensions.map((extension) => ({
    path: extension.directory,
    kind: extension.linked ? 'unfollowed-link' : 'directory',
    installation: { kind: 'extension', enabled: extension.enabled, grantedPaths: extension.grantedPaths, registry: extension.registry },
    ...(extension.recordedManifest === undefined ? {} : { recordedManifest: extension.recordedManifest }),
  }));
}

function configuredServerReports(installation: Installation, runtimeFetch: RuleMeta<string> | undefined): BundleReport[] {
  return installation.configuredServers.map((server) => {
    const findings = withFingerprints(server.name, runtimeFetch === undefined ? [] : runtimeFetchFindings(server, runtimeFetch));
    return {
      source: path.join(installation.dataDirectory, CONFIG_FILE),
      id: server.name,
      sha256: null,
      manifest: null,
      capabilities: [],
      connectorClass: 'transformation',
      score: scoreFindings(findings),
      level: levelOf(findings),
      complete: false,
      incompleteReasons: [`configured by hand in ${CONFIG_FILE}: its code is not in a bundle, so only its command line was checked`],
      signature: 'not-applicable',
      installation: { kind: 'configured-server', enabled: true, grantedPaths: [], registry: null },
      findings,
    };
  });
}

function runtimeFetchFindings(server: ConfiguredServer, meta: RuleMeta<string>): RawFinding[] {
  const argv = [server.command, ...server.args];
  const hit = detectRuntimeFetch(argv);
  if (hit === null) return [];
  const at = hit.at === 0 ? ['mcpServers', server.name, 'command'] : ['mcpServers', server.name, 'args', hit.at - 1];
  const field = `${CONFIG_FILE} server "${server.name}"`;
  return [
    findingFor(meta, {
      messageId: runtimeFetchMessage(hit),
      data: { field, launcher: hit.launcher, spec: hit.spec },
      location: { file: CONFIG_FILE, pointer: pointerOf(at) },
    }),
  ];
}
