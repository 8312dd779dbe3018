import path from 'node:path';

// Where Claude Desktop keeps its data: one folder on macOS, two on Windows
// (the classic installer's and the Store/MSIX build's, which can coexist), and the folder community
// Linux builds use. Computed from the environment given, so tests need no real installation.

export interface HostEnvironment {
  platform: NodeJS.Platform;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** The Store build's package family name: its data lives under this folder of LOCALAPPDATA. */
const MSIX_PACKAGE = 'Claude_pzs8sxrjxfjjc';

export function claudeDataDirectories(host: HostEnvironment): string[] {
  switch (host.platform) {
    case 'darwin':
      return [path.posix.join(host.home, 'Library', 'Application Support', 'Claude')];
    case 'win32': {
      const appData = host.env.APPDATA ?? path.win32.join(host.home, 'AppData', 'Roaming');
      const localAppData = host.env.LOCALAPPDATA ?? path.win32.join(host.home, 'AppData', 'Local');
      return [
        path.win32.join(appData, 'Claude'),
        path.win32.join(localAppData, 'Packages', MSIX_PACKAGE, 'LocalCache', 'Roaming', 'Claude'),
      ];
    }
    default:
      return [path.posix.join(host.env.XDG_CONFIG_HOME || path.posix.join(host.home, '.config'), 'Claude')];
  }
}
