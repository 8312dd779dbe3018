import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'signature-untrusted',
    category: 'signature',
    severity: 'medium',
    description: 'The signature verifies, but its certificate chain does not reach a trusted root, has expired, or is not for code signing.',
    remediation:
      'Check who the signer is (bundle.signer in the JSON report); if you trust its root, pass it with --trust-cert, otherwise ask the publisher to sign with a valid code-signing certificate.',
    messages: {
      untrusted: 'The bundle is signed by "{subject}", but the signature is not trusted: {reason}.',
    },
    docs: {
      why:
        'A signature that verifies proves the archive was not changed since someone signed it; the certificate chain says who ' +
        "that someone is. The chain is followed from the signer's certificate through the certificates carried in the block " +
        "to a root: Node's bundled roots, plus the certificates given with `--trust-cert` (for a company CA), never the " +
        'network. Medium when the chain is broken: a certificate expired or not yet valid, one not signed by its issuer, an ' +
        'issuer that is not a certificate authority, or a signing certificate that is not for code signing (its extended key ' +
        'usage lacks codeSigning). Low when the chain is sound as far as it goes and only its root is not trusted: the usual ' +
        "case of a private CA, which `--trust-cert` settles.",
      falsePositives:
        "A self-signed signing certificate is `signature-self-signed`'s finding, not this one (the `valid` example). Dates " +
        'are judged at scan time, so a bundle signed with a certificate that has since expired is reported even when it was ' +
        'valid when signed (there is no trusted timestamp to prove when). Revocation is not checked: that needs the network.',
      references: [
        { title: 'RFC 5280: X.509 certification path validation (section 6)', url: 'https://www.rfc-editor.org/rfc/rfc5280#section-6' },
        { title: 'RFC 5280: extended key usage, id-kp-codeSigning (section 4.2.1.12)', url: 'https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.12' },
        { title: 'CWE-295: Improper Certificate Validation', url: 'https://cwe.mitre.org/data/definitions/295.html' },
      ],
    },
  },
  check({ container }, context) {
    const verification = container.layout?.signature?.verification;
    if (verification?.status !== 'untrusted') return;
    context.report({
      messageId: 'untrusted',
      data: { subject: verification.signer?.subject ?? 'an unknown signer', reason: verification.reason ?? 'its chain could not be followed' },
      severity: verification.rootOnly === true ? 'low' : 'medium',
      location: { file: '.' },
    });
  },
});
