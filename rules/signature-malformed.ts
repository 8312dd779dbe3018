import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'signature-malformed',
    category: 'signature',
    severity: 'high',
    description: 'A signature block is present but not well-formed (length, end marker, bytes after it, or content that is not one CMS SignedData).',
    remediation: 'Do not trust the signature; ask the publisher to re-sign the bundle with the official tool.',
    messages: {
      malformed: 'The {flavour} signature block is malformed: {problem}.',
    },
    docs: {
      why:
        'An MCPB signature block appended to the archive is what ties a bundle to its publisher. A block that is present but ' +
        'malformed (a declared length that points outside the file, a missing end marker, bytes after it) cannot be verified, ' +
        'and its bytes are ones that some tool may read as part of the archive. The same goes for a well-framed block whose ' +
        "content is not a DER CMS SignedData with one signer and the signer's certificate. Whoever sees \"signed\" in a file " +
        'listing should not trust it. High.',
      falsePositives:
        "A well-formed block is not flagged (the `valid` example), and zero bytes padding the CMS structure to the declared " +
        "length are tolerated. Whether a well-formed block's signature verifies is `signature-invalid`'s finding, whether its " +
        "signer is trusted `signature-untrusted`'s and `signature-self-signed`'s. An archive with no block at all is " +
        "`signature-missing`'s finding.",
      references: [
        { title: 'MCPB command-line tool: pack, sign, verify (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
        { title: 'CWE-347: Improper Verification of Cryptographic Signature', url: 'https://cwe.mitre.org/data/definitions/347.html' },
      ],
    },
  },
  check({ container }, context) {
    const signature = container.layout?.signature;
    if (!signature) return;
    for (const problem of signature.problems) {
      context.report({ messageId: 'malformed', data: { flavour: signature.flavour, problem }, location: { file: '.' } });
    }
  },
});
