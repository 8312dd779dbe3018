import type { CodeFacts } from '../analysis/model/code-facts.js';
import { fileApi, operationOf, zoneOf } from '../analysis/catalog/filesystem.js';
import { stringAt } from '../manifest/access.js';
import type { Capability, Category, ConnectorClass, RawFinding } from '../report.js';
import { isReached } from './call-site.js';
import type { BundleFacts } from './facts.js';
import type { BundleRoles } from './roles.js';

// A capability is claimed only on evidence: a finding of the matching category (rules report code
// only where the server can reach it), the manifest declaring a native binary server, or for files
// the file calls themselves (see fileCapabilities): rules report only file access that needs a
// reviewer's eye, but reading and writing at all is what the class of a connector turns on.
const CAPABILITY_OF: Partial<Record<Category, Capability>> = {
  'shell-exec': 'shell',
  'dynamic-code': 'dynamic-code',
  'native-code': 'native-code',
  network: 'network',
  // Data sent out (a hard-coded Bcc on every mail) is network use whatever else the code does.
  exfiltration: 'network',
  'env-access': 'env',
};

const UNREACHED_SIGNALS = 'code-unreachable-signal';

export function capabilitiesOf(facts: BundleFacts, findings: readonly RawFinding[], roles: BundleRoles): Capability[] {
  const capabilities = new Set<Capability>();
  // A tool that hands the model text strangers write (engine/roles.ts).
  if (roles.sources.length > 0) capabilities.add('untrusted-input');
  if (stringAt(facts.manifest.json, ['server', 'type']) === 'binary') capabilities.add('native-code');
  for (const finding of findings) {
    // Signals in files the entry never loads say what a bundle carries, not what the server does.
    if (finding.ruleId === UNREACHED_SIGNALS) continue;
    const capability = CAPABILITY_OF[finding.category];
    if (capability) capabilities.add(capability);
  }
  for (const capability of fileCapabilities(facts.code)) capabilities.add(capability);
  return [...capabilities].sort();
}

/**
 * `fs-read` from reads and directory listings, `fs-write` from writes, moves, deletes and permission
 * changes, in code something sets off (a tool, a module's load, a listener, a timer); in other
 * first-party code only when the path
 * is known to leave the bundle (its home-directory cache, say), since a helper no tool calls may be
 * dead or only read the bundle's own files. Existence checks and stat claim nothing, nor does a path
 * that stays in the bundle's own directory (its package.json, bundled assets).
 */
export function fileCapabilities(code: CodeFacts): Array<'fs-read' | 'fs-write'> {
  const found = new Set<'fs-read' | 'fs-write'>();
  for (const call of code.calls) {
    const api = fileApi(call.callee);
    if (api === null) continue;
    const reached = isReached(call);
    if (!reached && call.origin !== 'first-party') continue;
    const operation = operationOf(api, call.args, call.excerpt);
    if (operation === 'metadata') continue;
    const counts = api.pathArgs.some((position) => {
      const arg = call.args[position];
      if (arg === undefined) return false;
      if (call.taintedArgs.includes(position)) return true;
      const zone = zoneOf(arg);
      return zone !== 'bundle' && (reached || zone !== 'unknown');
    });
    if (!counts) continue;
    found.add(operation === 'read' || operation === 'list' ? 'fs-read' : 'fs-write');
  }
  return [...found].sort();
}

const EXECUTION: readonly Capability[] = ['shell', 'dynamic-code', 'native-code', 'fs-write'];
const RETRIEVAL: readonly Capability[] = ['network', 'fs-read', 'untrusted-input'];

// The privilege classes practitioners use for connectors: anything that can run code or change the
// machine is an executor; anything that brings outside content in retrieves; the rest transforms.
export function connectorClassOf(capabilities: readonly Capability[]): ConnectorClass {
  if (capabilities.some((capability) => EXECUTION.includes(capability))) return 'execution';
  if (capabilities.some((capability) => RETRIEVAL.includes(capability))) return 'retrieval';
  return 'transformation';
}
