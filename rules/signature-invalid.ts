import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'signature-invalid',
    category: 'signature',
    severity: 'high',
    description: 'The signature does not verify: the archive changed after signing, the block belongs to another archive, or the signature is forged.',
    remediation: 'Do not install it: get the bundle again from its publisher and compare its SHA-256 with the one they publish.',
    messages: {
      invalid: 'The {flavour} signature does not verify: {reason}. It claims "{subject}" as its signer, which it does not prove.',
    },
    docs: {
      why:
        'A signature block says "these exact bytes come from this publisher". When the SHA-256 of the archive is not the ' +
        "digest that was signed, the bundle was changed after signing (re-zipped with other code under the copied block) or " +
        "the block was lifted from another bundle; when the signature itself does not verify with the signer's certificate, " +
        'the block was forged or damaged. The reference `mcpb verify` never verifies a signature, so such a bundle looks as ' +
        'trustworthy as the original to everyone else. High: the bundle claims a publisher it cannot prove.',
      falsePositives:
        "A block whose digest and signature verify is not reported here, whoever signed it (the `valid` examples: MCPB and " +
        "DXT framing, and the block declared as the archive comment, as `mcpb sign` writes it since its EOCD fix; the " +
        "archive's bytes before the block are checked as they are, then with that comment length set back to zero, the " +
        "only change that tool makes after signing). Whether the signer is trusted is `signature-untrusted`'s and " +
        "`signature-self-signed`'s finding. Signatures with digest algorithms other than SHA-256/384/512, or with RSA-PSS, " +
        'are reported untrusted (not verifiable here), never invalid.',
      references: [
        { title: 'RFC 5652: Cryptographic Message Syntax, SignedData (section 5)', url: 'https://www.rfc-editor.org/rfc/rfc5652#section-5' },
        { title: 'MCPB command-line tool: pack, sign, verify (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
        { title: 'CWE-347: Improper Verification of Cryptographic Signature', url: 'https://cwe.mitre.org/data/definitions/347.html' },
      ],
    },
  },
  check({ container }, context) {
    const signature = container.layout?.signature;
    const verification = signature?.verification;
    if (signature === null || signature === undefined || verification?.status !== 'invalid') return;
    context.report({
      messageId: 'invalid',
      data: { flavour: signature.flavour, reason: verification.reason ?? 'it does not verify', subject: verification.signer?.subject ?? 'nobody' },
      location: { file: '.' },
    });
  },
});
