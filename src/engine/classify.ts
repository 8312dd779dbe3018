import { stringAt } from '../manifest/access.js';
import type { Capability, Category, ConnectorClass, Finding } from '../report.js';
import type { BundleFacts } from './facts.js';

// A capability is claimed only on evidence: a finding of the matching category (rules report code
// only where the server can reach it), or the manifest declaring a native binary server.
const CAPABILITY_OF: Partial<Record<Category, Capability>> = {
  'shell-exec': 'shell',
  'dynamic-code': 'dynamic-code',
  'native-code': 'native-code',
  network: 'network',
  'env-access': 'env',
};

export function capabilitiesOf(facts: BundleFacts, findings: readonly Finding[]): Capability[] {
  const capabilities = new Set<Capability>();
  if (stringAt(facts.manifest.json, ['server', 'type']) === 'binary') capabilities.add('native-code');
  for (const finding of findings) {
    const capability = CAPABILITY_OF[finding.category];
    if (capability) capabilities.add(capability);
  }
  return [...capabilities].sort();
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
