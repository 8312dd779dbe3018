import { stringAt } from '../manifest/access.js';
import type { Capability, ConnectorClass } from '../report.js';
import type { BundleFacts } from './facts.js';

/** What the bundle can do, from what the facts show. */
export function capabilitiesOf(facts: BundleFacts): Capability[] {
  const capabilities = new Set<Capability>();
  if (stringAt(facts.manifest.json, ['server', 'type']) === 'binary') capabilities.add('native-code');
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
