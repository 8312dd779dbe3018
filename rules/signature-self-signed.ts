import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'signature-self-signed',
    category: 'signature',
    severity: 'low',
    description: 'The signature verifies, but with a self-signed certificate: anyone can make one in any name.',
    remediation:
      "Compare the signer's SHA-256 fingerprint (bundle.signer.sha256) with one the publisher gives you out of band, then pass the certificate with --trust-cert; or ask for a CA-issued code-signing certificate.",
    messages: {
      selfSigned: 'The bundle is signed with a self-signed certificate for "{subject}" (SHA-256 {fingerprint}); nothing vouches for that name.',
    },
    docs: {
      why:
        'A self-signed certificate (`mcpb sign --self-signed`) proves the archive was not changed since the holder of its key ' +
        'signed it, and nothing about who that is: its name is whatever its maker typed. Low: better than no signature when ' +
        'you can compare the fingerprint with one the publisher gives you, which `--trust-cert` then records.',
      falsePositives:
        'A self-signed certificate given with `--trust-cert` is trusted and not reported. A certificate issued by a CA is ' +
        "not self-signed (the `valid` example), whether or not that CA is trusted (`signature-untrusted`).",
      references: [
        { title: 'MCPB command-line tool: sign --self-signed (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
        { title: 'CWE-296: Improper Following of a Certificate’s Chain of Trust', url: 'https://cwe.mitre.org/data/definitions/296.html' },
      ],
    },
  },
  check({ container }, context) {
    const verification = container.layout?.signature?.verification;
    if (verification?.status !== 'self-signed' || verification.signer === undefined) return;
    context.report({
      messageId: 'selfSigned',
      data: { subject: verification.signer.subject, fingerprint: verification.signer.sha256 },
      location: { file: '.' },
    });
  },
});
