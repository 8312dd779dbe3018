import type { Report } from '../../src/report.js';
import { bundleReport, chain, finding, report } from './reports.js';

/**
 * Bundle text that tries everything a rendered report could fall for (the markdown report's test
 * uses the same): closing our blocks, tags and event handlers, links and images, mentions, code and
 * emphasis, math, entities that would decode, a newline, an ANSI escape and a bidi override.
 */
export const HOSTILE =
  'x | y </details> <script>alert(1)</script> <img src=x onerror=alert(1)> ![x](http://evil) [click](http://evil) @everyone #12 GH-34 ``` `code` *em* _u_ ~~s~~ $$\\huge{PASSED}$$ &lt;b&gt; \\| end\nline two\r\u001b[31m\u202e';

/** A report in which every field a bundle controls carries HOSTILE: names, paths, tools, evidence, reasons, signer, chain ends. */
export function hostileReport(): Report {
  const evil = bundleReport({
    id: `id ${HOSTILE}`,
    source: `source ${HOSTILE}.mcpb`,
    manifest: { name: 'n', displayName: `name ${HOSTILE}`, version: `1 ${HOSTILE}`, manifestVersion: `0.3 ${HOSTILE}`, serverType: `node ${HOSTILE}` },
    capabilities: ['shell', 'network', 'untrusted-input'],
    connectorClass: 'execution',
    score: 90,
    level: 'critical',
    complete: false,
    incompleteReasons: [`reason ${HOSTILE}`],
    signature: 'untrusted',
    signer: {
      subject: `CN=signer ${HOSTILE}`,
      issuer: `CN=issuer ${HOSTILE}`,
      serial: '01',
      sha256: 'ab'.repeat(32),
      notBefore: `from ${HOSTILE}`,
      notAfter: `to ${HOSTILE}`,
      untrusted: `because ${HOSTILE}`,
    },
    installation: { kind: 'extension', enabled: true, grantedPaths: [`granted ${HOSTILE}`], registry: { version: `v ${HOSTILE}`, source: `s ${HOSTILE}`, signatureStatus: `st ${HOSTILE}` } },
    findings: [
      finding({
        message: `message ${HOSTILE}`,
        evidence: `evidence ${HOSTILE}`,
        tool: `tool ${HOSTILE}`,
        trigger: { kind: 'load', via: ['server/index.js', `via ${HOSTILE}`] },
        location: { file: `file ${HOSTILE}`, line: 3 },
      }),
      finding({ severity: 'high', location: { file: 'manifest.json', pointer: `/tools/${HOSTILE}` }, tools: [`first ${HOSTILE}`, `second ${HOSTILE}`] }),
      finding({ ruleId: 'code-network', category: 'network', severity: 'low', host: `host ${HOSTILE}`, message: `low ${HOSTILE}` }),
    ],
    suppressed: [{ ...finding({ message: `suppressed ${HOSTILE}` }), suppression: { reason: `reason ${HOSTILE}`, expires: `soon ${HOSTILE}` } }],
  });
  const other = bundleReport({ id: 'other', source: 'other.mcpb', connectorClass: 'retrieval', capabilities: ['untrusted-input'] });
  return report(
    [evil, other],
    {
    combinations: [
        chain('other', evil.id, {
          message: `chain ${HOSTILE}`,
          source: { bundle: 'other', tool: `src ${HOSTILE}`, tools: [`src ${HOSTILE}`], content: `content ${HOSTILE}` },
          sink: { bundle: evil.id, tool: `sink ${HOSTILE}`, tools: [`sink ${HOSTILE}`], power: 'command-execution' },
        }),
      ],
      installed: { dataDirectories: [`data ${HOSTILE}`], problems: [`unreadable ${HOSTILE}`] },
      policy: { file: `policy ${HOSTILE}`, problems: [`problem ${HOSTILE}`] },
    },
    { failed: true, baseline: { file: `baseline ${HOSTILE}`, new: 0, unchanged: 0, absent: 0 } },
  );
}
