import type { Origin } from '../analysis/model/origin.js';
import { describeServer, originOfFile } from '../analysis/server.js';
import type { BundleFacts } from './facts.js';

// Whose file each bundle path is, for rules: first-party or dependency, as analysis/server.ts decides.

/** Whose file each bundle path is, with the server's entry points computed once. */
export function originResolver({ manifest, container }: BundleFacts): (path: string) => Origin {
  const server = describeServer(manifest.json, container.files);
  return (path) => originOfFile(path, server);
}
