import { isIP } from 'node:net';
import { exfiltrationService } from '../analysis/catalog/exfiltration.js';
import { dropHostOf } from '../analysis/catalog/strings.js';
import type { Destination } from '../analysis/catalog/network.js';
import { classifyHost, hostOfUrl, normalizeHost } from '../analysis/hosts.js';
import type { CallSite, StringSite } from '../analysis/model/code-facts.js';
import { isReached } from './call-site.js';

// Which calls and constants say where the server connects: the code-network rule's host inventory
// and `dxt-audit diff`'s hosts added (diff/surface.ts) must see the same hosts, so both read them here.

/** A network call worth listing: the publisher's own, or a dependency's that something sets off (library internals nothing runs are not). */
export function worthReporting(call: CallSite): boolean {
  return call.origin === 'first-party' || isReached(call);
}

/** Names under which a URL constant is an endpoint the code talks to, not a link shown to a person. */
const ENDPOINT_KEY = /url|uri|endpoint|host|origin|base|api|server|webhook|hook|domain|address|target|remote|upstream|proxy|collect|report|telemetry/i;

/** A first-party constant that names an endpoint: bound to an endpoint-like name, or an exfiltration service or an IP whatever its name. */
export function endpointOf(site: StringSite): Destination | null {
  if (site.origin !== 'first-party' || (site.kind !== 'url' && site.kind !== 'ip' && site.kind !== 'drop-host')) return null;
  const destination = site.kind === 'url' ? hostOfUrl(site.value) : site.kind === 'drop-host' ? dropHostOf(site.value) : { host: normalizeHost(site.value), path: '/' };
  if (destination === null) return null;
  const kind = classifyHost(destination.host);
  if (kind === 'loopback' || kind === 'unspecified' || kind === 'placeholder') return null;
  const keyed = site.key !== undefined && ENDPOINT_KEY.test(site.key);
  if (site.kind === 'ip') return keyed ? destination : null;
  const address = kind === 'public-ip' || kind === 'metadata' || (kind === 'private' && isIP(destination.host) !== 0);
  return keyed || address || exfiltrationService(destination.host, destination.path) ? destination : null;
}
