// Paths whose mention in server code says what it is after: credentials and keys, browser data,
// keychains, other AI clients' configuration (where their MCP servers and tokens live), and the
// places programs go to start again at login (persistence). Matched on `/`-normalised text, case-
// insensitively, anywhere in a string: code builds these paths from pieces.

export type SensitiveClass = 'credentials' | 'browser-data' | 'keychain' | 'ai-client-config' | 'persistence';

export interface SensitivePath {
  name: string;
  class: SensitiveClass;
  pattern: RegExp;
}

export const SENSITIVE_PATHS: readonly SensitivePath[] = [
  { name: 'SSH keys', class: 'credentials', pattern: /(?:^|\/)\.ssh(?:\/|$)|(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$/i },
  { name: 'AWS credentials', class: 'credentials', pattern: /(?:^|\/)\.aws(?:\/|$)/i },
  { name: 'Google Cloud credentials', class: 'credentials', pattern: /(?:^|\/)\.config\/gcloud(?:\/|$)|application_default_credentials\.json$/i },
  { name: 'Azure credentials', class: 'credentials', pattern: /(?:^|\/)\.azure(?:\/|$)/i },
  { name: 'Kubernetes config', class: 'credentials', pattern: /(?:^|\/)\.kube\/config$|(?:^|\/)\.kube(?:\/|$)/i },
  { name: 'Docker credentials', class: 'credentials', pattern: /(?:^|\/)\.docker\/config\.json$/i },
  { name: 'npm credentials', class: 'credentials', pattern: /(?:^|\/)\.npmrc$/i },
  { name: 'PyPI credentials', class: 'credentials', pattern: /(?:^|\/)\.pypirc$/i },
  { name: 'Git credentials', class: 'credentials', pattern: /(?:^|\/)\.git-credentials$|(?:^|\/)\.config\/gh\/hosts\.yml$/i },
  { name: 'netrc credentials', class: 'credentials', pattern: /(?:^|\/)[._]netrc$/i },
  { name: 'GnuPG keyring', class: 'credentials', pattern: /(?:^|\/)\.gnupg(?:\/|$)/i },
  { name: 'environment file', class: 'credentials', pattern: /(?:^|\/)\.env(?:\.local|\.production)?$/i },
  { name: 'system password files', class: 'credentials', pattern: /^\/etc\/(?:shadow|passwd|sudoers)$/i },
  { name: 'crypto wallets', class: 'credentials', pattern: /(?:^|\/)(?:\.bitcoin|\.ethereum|exodus|electrum)\/.*wallet|wallet\.dat$/i },
  { name: 'browser cookies or saved passwords', class: 'browser-data', pattern: /(?:^|\/)(?:Cookies|Login Data|Web Data|cookies\.sqlite|logins\.json|key4\.db)$/i },
  { name: 'browser profiles', class: 'browser-data', pattern: /(?:Google\/Chrome|google-chrome|BraveSoftware|Microsoft\/Edge|Mozilla\/Firefox|\.mozilla\/firefox|Chromium)(?:\/|$)/i },
  { name: 'macOS keychains', class: 'keychain', pattern: /(?:^|\/)Library\/Keychains(?:\/|$)|\.keychain(?:-db)?$/i },
  { name: 'Claude Desktop configuration', class: 'ai-client-config', pattern: /claude_desktop_config\.json$|(?:^|\/)Claude\/Claude Extensions/i },
  { name: 'other AI clients\' configuration', class: 'ai-client-config', pattern: /(?:^|\/)\.cursor\/mcp\.json$|(?:^|\/)\.codeium\/windsurf\/mcp_config\.json$|(?:^|\/)\.claude\.json$|(?:^|\/)\.claude\/(?:settings|\.credentials)|(?:^|\/)\.continue\/config|cline_mcp_settings\.json$/i },
  { name: 'shell start-up files', class: 'persistence', pattern: /(?:^|\/)\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zshenv|zlogin)$|(?:^|\/)\.config\/fish\/config\.fish$/i },
  { name: 'macOS launch agents', class: 'persistence', pattern: /(?:^|\/)Library\/Launch(?:Agents|Daemons)(?:\/|$)/i },
  { name: 'cron tables', class: 'persistence', pattern: /^\/(?:etc\/cron|var\/spool\/cron)|(?:^|\/)crontab$/i },
  { name: 'systemd units', class: 'persistence', pattern: /(?:^|\/)\.config\/systemd\/user(?:\/|$)|^\/etc\/systemd\/system(?:\/|$)/i },
  { name: 'login autostart entries', class: 'persistence', pattern: /(?:^|\/)\.config\/autostart(?:\/|$)/i },
  { name: 'Windows Run keys', class: 'persistence', pattern: /CurrentVersion\/Run(?:Once)?(?:\/|$)/i },
  { name: 'Windows Startup folder', class: 'persistence', pattern: /Start Menu\/Programs\/Startup/i },
];

/** The sensitive location a path or path fragment names, if any. */
export function sensitivePathOf(value: string): SensitivePath | null {
  if (value.length > 512) return null;
  const normalised = value.replace(/\\+/g, '/');
  return SENSITIVE_PATHS.find((entry) => entry.pattern.test(normalised)) ?? null;
}

export function isSensitivePath(value: string): boolean {
  return sensitivePathOf(value) !== null;
}
