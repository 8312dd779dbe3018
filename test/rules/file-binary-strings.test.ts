import { describe, expect, it } from 'vitest';
import rule from '../../rules/file-binary-strings.js';
import { SEARCH_LIMITS } from '../../src/analysis/binary/search.js';
import { elfHeader, withStrings } from '../../scripts/lib/native-headers.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'file-binary-strings';
const DIR = `fixtures/rules/${RULE}`;
const PROGRAM = 'server/bin/acme-server';
const NOT_PROOF = 'A string in a binary does not show that the program';

describe(RULE, () => {
  it("reports each kind of string in a binary server's program once, with examples, at info or low", async () => {
    const bundle = await scanFixture(`${DIR}/invalid.dxt`);
    const at = { location: { file: PROGRAM }, origin: 'first-party' };
    expect(findingWith(bundle, RULE, `Binary "${PROGRAM}" contains a command line that downloads a script and runs it ("curl … | sh")`)).toMatchObject({
      severity: 'low',
      evidence: '"curl -fsSL https://get.acme-tools.dev/bootstrap.sh | sh"',
      ...at,
    });
    expect(findingWith(bundle, RULE, 'contains paths to SSH keys and browser cookies or saved passwords.')).toMatchObject({
      severity: 'low',
      category: 'native-code',
      evidence: '"%s/.ssh/id_ed25519", "Google\\Chrome\\User Data\\Default\\Login Data"',
      ...at,
    });
    expect(findingWith(bundle, RULE, 'names abc123.ngrok-free.app (ngrok tunnel), a service that collects data for anyone.')).toMatchObject({ severity: 'low', ...at });
    expect(findingWith(bundle, RULE, 'contains 1 raw public IP address: "45.77.12.9".')).toMatchObject({ severity: 'info', evidence: '"45.77.12.9:8443"', ...at });
    expect(findingWith(bundle, RULE, 'contains URLs naming 1 host the manifest does not declare: "telemetry.acme-metrics.net".')).toMatchObject({ severity: 'info', ...at });
    expect(findingWith(bundle, RULE, `Binary "${PROGRAM}" contains shell command lines ("sh -c").`)).toMatchObject({ severity: 'info', evidence: '"/bin/sh -c %s"', ...at });
    expect(findingWith(bundle, RULE, 'Binary "server/lib/libacme.so" contains shell command lines ("rm -rf").')).toMatchObject({
      severity: 'info',
      location: { file: 'server/lib/libacme.so' },
    });
    expect(findingsOf(bundle, RULE)).toHaveLength(7);
    for (const finding of findingsOf(bundle, RULE)) expect(finding.message).toContain(NOT_PROOF);
    // Strings claim no capability: a binary server is native code, nothing more.
    expect(bundle.capabilities).toEqual(['native-code']);
  });

  it("ignores ordinary strings, declared hosts, and a dependency's prebuilt binaries", async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid.dxt`), RULE)).toEqual([]);
  });
});

describe(`${RULE} on hand-made bundles`, () => {
  const header = elfHeader({ bits: 64, little: true, type: 3, machine: 62, program: 'library' });

  it('reads first-party native files of any server, and only native ones', () => {
    const facts = bundleFacts(
      {
        'server/index.js': "require('./build/addon.node');\n",
        'server/build/addon.node': withStrings(header, ['https://telemetry.acme-metrics.net/v1']),
        'server/notes.txt': 'https://telemetry.acme-metrics.net/v1 and /bin/sh -c are only text here\n',
        'server/node_modules/dep/build/dep.node': withStrings(header, ['/bin/sh -c %s']),
        'server/lib/site-packages/pkg/_speedups.cpython-312-x86_64-linux-gnu.so': withStrings(header, ['/bin/sh -c %s']),
      },
      { server: { type: 'node', entry_point: 'server/index.js', mcp_config: { command: 'node', args: ['${__dirname}/server/index.js'] } } },
    );
    expect(runRule(rule, facts).map(({ location, severity }) => [location, severity])).toEqual([[{ file: 'server/build/addon.node' }, 'info']]);
  });

  it("reads a binary server's program even inside a dependency folder", () => {
    const facts = bundleFacts(
      {
        'server/README.md': '# acme\n',
        'server/node_modules/acme-bin/bin/acme': withStrings(elfHeader({ bits: 64, little: true, type: 2, machine: 62 }), ['/bin/sh -c %s']),
      },
      { server: { type: 'binary', entry_point: 'server/README.md', mcp_config: { command: '${__dirname}/server/node_modules/acme-bin/bin/acme' } } },
    );
    expect(runRule(rule, facts)).toEqual([expect.objectContaining({ severity: 'info', origin: 'dependency', location: { file: 'server/node_modules/acme-bin/bin/acme' } })]);
  });

  it('calls a sensitive path the description explains info', () => {
    const facts = bundleFacts(
      { 'server/kubectl-helper': withStrings(elfHeader({ bits: 64, little: true, type: 2, machine: 62 }), ['%s/.kube/config']) },
      {
        name: 'kube-tools',
        description: 'Manage Kubernetes clusters',
        server: { type: 'binary', entry_point: 'server/kubectl-helper', mcp_config: { command: '${__dirname}/server/kubectl-helper' } },
      },
    );
    expect(runRule(rule, facts)).toEqual([
      expect.objectContaining({
        severity: 'info',
        message: `Binary "server/kubectl-helper" contains paths to Kubernetes config, which the bundle's description says it works with. ${NOT_PROOF} opens the file.`,
      }),
    ]);
  });

  it('says when a file was read only in part', () => {
    const big = new Uint8Array(SEARCH_LIMITS.perFile.bytes + 1024);
    big.set(withStrings(elfHeader({ bits: 64, little: true, type: 2, machine: 62 }), ['/bin/sh -c %s']));
    const facts = bundleFacts({ 'server/tool': big }, { server: { type: 'binary', entry_point: 'server/tool', mcp_config: { command: '${__dirname}/server/tool' } } });
    const findings = runRule(rule, facts);
    expect(findings.map(({ severity }) => severity)).toEqual(['info', 'info']);
    expect(findings.map(({ message }) => message)).toContain('Binary "server/tool" (64 MB) was searched for strings only in part: the search stops after 64 MB per file.');
  });
});
