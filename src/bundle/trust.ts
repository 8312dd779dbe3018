import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../common.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates in the PEM files given with `--trust-cert` (a file may hold several), each
 * checked to parse. Throws UsageError for a file that cannot be read or holds no certificate.
 */
export async function loadTrustedCertificates(files: readonly string[], cwd: string): Promise<string[]> {
  const certificates: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the certificate file ${file}: ${(error as Error).message}`);
    }
    const found = text.match(PEM_CERTIFICATE) ?? [];
    if (found.length === 0) throw new UsageError(`the certificate file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    for (const [index, pem] of found.entries()) {
      try {
        new X509Certificate(pem);
      } catch (error) {
        throw new UsageError(`certificate ${index + 1} in ${file} does not parse: ${(error as Error).message}`);
      }
      certificates.push(pem);
    }
  }
  return certificates;
}
