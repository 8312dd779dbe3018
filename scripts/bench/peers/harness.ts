// Each sample as the module of a one-tool MCP server: the tool's handler imports it, so its code is
// reachable from a tool the way a server's own helper module is. Written as bundle folders.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sample } from './suites.js';

const NODE_ENTRY = `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const server = new McpServer({ name: 'peer', version: '1.0.0' });
server.tool('run', 'Runs the module', { input: z.string() }, async ({ input }) => {
  const module = await import('./PEER');
  return { content: [{ type: 'text', text: String(module.default ?? input) }] };
});
`;

const PYTHON_ENTRY = `from mcp.server.fastmcp import FastMCP

mcp = FastMCP("peer")


@mcp.tool()
def run(input: str) -> str:
    """Runs the module."""
    import peer
    return str(peer) + input
`;

/** The sample's file inside its bundle, as findings name it. */
export function sampleFile(sample: Sample): string {
  return `server/peer.${sample.language}`;
}

export function writeBundle(folder: string, sample: Sample): void {
  const python = sample.language === 'py';
  const entry = python ? 'server/main.py' : 'server/index.js';
  const manifest = {
    manifest_version: '0.3',
    name: 'peer-sample',
    version: '1.0.0',
    description: 'A peer test sample as a server module.',
    author: { name: 'dxt-audit bench:peers' },
    server: {
      type: python ? 'python' : 'node',
      entry_point: entry,
      mcp_config: { command: python ? 'python' : 'node', args: [`\${__dirname}/${entry}`] },
    },
    tools: [{ name: 'run', description: 'Runs the module' }],
  };
  mkdirSync(path.join(folder, 'server'), { recursive: true });
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(path.join(folder, entry), python ? PYTHON_ENTRY : NODE_ENTRY.replace('PEER', path.basename(sampleFile(sample))));
  writeFileSync(path.join(folder, sampleFile(sample)), sample.code);
}
