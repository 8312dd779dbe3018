import type { ArgumentFact } from '../model/file-facts.js';
import { pathPieces } from './filesystem.js';

// Paths whose mention in server code says what it is after: credentials and keys, browser data,
// keychains, other AI clients' configuration (where their MCP servers and tokens live), and the
// places programs go to start again at login (persistence). Matched on `/`-normalised text, case-
// insensitively, anywhere in a string: code builds these paths from pieces. Patterns name the data,
// not the program: `Google/Chrome/Application/chrome.exe` (how a PDF tool finds a browser) is not a
// profile, `Google/Chrome/User Data` is; a bare word such as `Cookies` is not a cookie jar.

export type SensitiveClass = 'credentials' | 'browser-data' | 'keychain' | 'ai-client-config' | 'persistence';

export interface SensitivePath {
  name: string;
  class: SensitiveClass;
  pattern: RegExp;
  /**
   * Routinely the server's own file (`.env` next to its code or in the working directory): worth a
   * word only when a file call uses it, never as a bare mention, and never above low.
   */
  weak?: true;
  /** Words in a bundle's name or description that make reading it the bundle's declared job (a Kubernetes server reads kube config). */
  purpose?: RegExp;
}

export const SENSITIVE_PATHS: readonly SensitivePath[] = [
  // Before "SSH keys": a key added here lets someone log in as this user, which is persistence.
  { name: 'SSH authorized keys', class: 'persistence', pattern: /(?:^|\/)\.ssh\/authorized_keys2?$/i },
  { name: 'SSH keys', class: 'credentials', pattern: /(?:^|\/)\.ssh(?:\/|$)|(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$/i, purpose: /\b(?:ssh|sftp|scp)\b/i },
  { name: 'AWS credentials', class: 'credentials', pattern: /(?:^|\/)\.aws(?:\/|$)/i, purpose: /\b(?:aws|amazon|s3|bedrock|lambda)\b/i },
  {
    name: 'Google Cloud credentials',
    class: 'credentials',
    pattern: /(?:^|\/)\.config\/gcloud(?:\/|$)|application_default_credentials\.json$/i,
    purpose: /\b(?:google cloud|gcp|gcloud|bigquery|firebase|vertex)\b/i,
  },
  { name: 'Azure credentials', class: 'credentials', pattern: /(?:^|\/)\.azure(?:\/|$)/i, purpose: /\bazure\b/i },
  { name: 'Kubernetes config', class: 'credentials', pattern: /(?:^|\/)\.kube(?:\/|$)/i, purpose: /\b(?:kube\w*|k8s|helm|kubectl)\b/i },
  { name: 'the Kubernetes service account token', class: 'credentials', pattern: /^\/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/token$/i, purpose: /\b(?:kube\w*|k8s|helm|kubectl)\b/i },
  { name: 'Docker credentials', class: 'credentials', pattern: /(?:^|\/)\.docker\/config\.json$/i, purpose: /\b(?:docker|container\w*|registry)\b/i },
  { name: 'npm credentials', class: 'credentials', pattern: /(?:^|\/)\.npmrc$/i, purpose: /\bnpm\b/i },
  { name: 'PyPI credentials', class: 'credentials', pattern: /(?:^|\/)\.pypirc$/i, purpose: /\bpypi\b/i },
  { name: 'Git credentials', class: 'credentials', pattern: /(?:^|\/)\.git-credentials$|(?:^|\/)\.config\/gh\/hosts\.yml$/i, purpose: /\bgit(?:hub|lab)?\b/i },
  { name: 'netrc credentials', class: 'credentials', pattern: /(?:^|\/)[._]netrc$/i },
  { name: 'Terraform credentials', class: 'credentials', pattern: /(?:^|\/)\.terraform\.d\/credentials\.tfrc\.json$/i, purpose: /\bterraform\b/i },
  { name: 'GnuPG keyring', class: 'credentials', pattern: /(?:^|\/)\.gnupg(?:\/|$)/i, purpose: /\b(?:gpg|gnupg|pgp)\b/i },
  { name: 'an environment (.env) file', class: 'credentials', pattern: /(?:^|\/)\.env(?:\.local|\.production)?$/i, weak: true },
  { name: 'system account files', class: 'credentials', pattern: /^\/etc\/(?:shadow|gshadow|passwd|sudoers)$/i },
  {
    name: 'crypto wallets',
    class: 'credentials',
    // Desktop wallets' files, Solana's key file, and browser wallet extensions' storage by extension id
    // (MetaMask, Phantom, Coinbase Wallet, TronLink, Binance Wallet).
    pattern:
      /(?:^|\/)(?:\.bitcoin|\.ethereum|exodus|electrum)\/.*wallet|wallet\.dat$|(?:^|\/)\.ethereum\/keystore(?:\/|$)|(?:^|\/)atomic\/Local Storage(?:\/|$)|(?:^|\/)(?:\.config\/)?solana\/id\.json$|Local Extension Settings\/(?:nkbihfbeogaeaoehlefnkodbefgpgknn|bfnaelmomeimhlpmgjnjophhpkkoljpa|hnfanknocfeofbddgcijnmhnfnkdnaad|ibnejdfjmmkpcnlpebklmnkoeoihofec|fhbohimaelbohpjbbldcngcnapndodjp)(?:\/|$)/i,
  },
  {
    name: 'browser cookies or saved passwords',
    class: 'browser-data',
    pattern: /\/(?:Cookies|Login Data|Web Data|Local State)$|(?:^|\/)(?:cookies\.sqlite|logins\.json|key[34]\.db|signons\.sqlite)$/i,
  },
  {
    name: 'browser profiles',
    class: 'browser-data',
    pattern:
      /(?:Google\/Chrome|Chromium|BraveSoftware\/Brave-Browser|Microsoft\/Edge|Vivaldi)\/User Data(?:\/|$)|Application Support\/(?:Google\/Chrome|Chromium|BraveSoftware|Microsoft Edge|Firefox|Vivaldi)(?:\/|$)|(?:^|\/)\.config\/(?:google-chrome|chromium|BraveSoftware|microsoft-edge|vivaldi)(?:\/|$)|Mozilla\/Firefox\/Profiles|(?:^|\/)\.mozilla\/firefox(?:\/|$)|(?:^|\/)Library\/(?:Safari|Cookies)(?:\/|$)|Opera Software\/Opera/i,
  },
  { name: 'macOS keychains', class: 'keychain', pattern: /(?:^|\/)Library\/Keychains(?:\/|$)|\.keychain(?:-db)?$/i },
  { name: 'Claude Desktop configuration', class: 'ai-client-config', pattern: /claude_desktop_config\.json$|(?:^|\/)Claude\/Claude Extensions/i },
  {
    name: 'other AI clients\' configuration',
    class: 'ai-client-config',
    pattern:
      /(?:^|\/)\.cursor\/mcp\.json$|(?:^|\/)\.codeium\/windsurf\/mcp_config\.json$|(?:^|\/)\.claude\.json$|(?:^|\/)\.claude\/(?:settings|\.credentials)|(?:^|\/)\.continue\/config|cline_mcp_settings\.json$|(?:^|\/)\.gemini\/settings\.json$|(?:^|\/)\.codex\/(?:config\.toml|auth\.json)$|(?:^|\/)\.vscode\/mcp\.json$/i,
  },
  { name: 'shell start-up files', class: 'persistence', pattern: /(?:^|\/)\.(?:bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|zlogin|cshrc|tcshrc)$|(?:^|\/)\.config\/fish\/config\.fish$|^\/etc\/(?:profile|bash\.bashrc|zshrc)(?:\.d\/|$)/i },
  { name: 'PowerShell profiles', class: 'persistence', pattern: /(?:^|\/)(?:Microsoft\.PowerShell_|Microsoft\.VSCode_)?profile\.ps1$/i },
  { name: 'macOS launch agents', class: 'persistence', pattern: /(?:^|\/)Library\/Launch(?:Agents|Daemons)(?:\/|$)/i },
  { name: 'cron tables', class: 'persistence', pattern: /^\/(?:etc\/cron|var\/spool\/cron)|(?:^|\/)crontab$/i },
  { name: 'systemd units', class: 'persistence', pattern: /(?:^|\/)\.config\/systemd\/user(?:\/|$)|^\/etc\/systemd\/system(?:\/|$)/i },
  { name: 'login autostart entries', class: 'persistence', pattern: /(?:^|\/)\.config\/autostart(?:\/|$)|^\/etc\/xdg\/autostart(?:\/|$)/i },
  { name: 'Windows Run keys', class: 'persistence', pattern: /CurrentVersion\/Run(?:Once)?(?:\/|$)/i },
  { name: 'Windows Startup folder', class: 'persistence', pattern: /Start Menu\/Programs\/Startup/i },
  { name: 'Git hooks', class: 'persistence', pattern: /(?:^|\/)\.git\/hooks(?:\/|$)/i },
];

/**
 * Every pattern above in one alternation (they share the `i` flag and hold no back-references), so
 * that the strings naming none, nearly all of them, are rejected in one regex call instead of 31.
 */
const ANY_SENSITIVE_PATH = new RegExp(SENSITIVE_PATHS.map((entry) => `(?:${entry.pattern.source})`).join('|'), 'i');

/** The sensitive location a path or path fragment names, if any. */
export function sensitivePathOf(value: string): SensitivePath | null {
  if (value.length > 512) return null;
  const normalised = value.replace(/\\+/g, '/');
  if (!ANY_SENSITIVE_PATH.test(normalised)) return null;
  return SENSITIVE_PATHS.find((entry) => entry.pattern.test(normalised)) ?? null;
}

export function isSensitivePath(value: string): boolean {
  return sensitivePathOf(value) !== null;
}

/**
 * The sensitive location a path argument names, and the text that names it: its constant value,
 * its constant start, one of the strings it is built from, or those strings joined
 * (`path.join(home, 'Library', 'LaunchAgents')`). A path in the bundle's own directory names the
 * bundle's files (its own `.env`), not the user's.
 */
export function sensitivePathOfArgument(arg: ArgumentFact): { entry: SensitivePath; text: string } | null {
  if (arg.labels.includes('@bundle-dir') && !arg.labels.includes('@home')) return null;
  const pieces = pathPieces(arg);
  const texts = [arg.literal, arg.prefix, ...pieces, pieces.length > 1 ? pieces.join('/') : undefined];
  for (const text of texts) {
    if (text === undefined) continue;
    const entry = sensitivePathOf(text);
    if (entry) return { entry, text };
  }
  return null;
}
