import { defineRule } from '../src/engine/rule.js';
import { pointerOf, type JsonPath } from '../src/manifest/access.js';
import { fieldLabel, launchConfigs } from '../src/manifest/mcp-config.js';
import { commandWords, detectRuntimeFetch, RUNTIME_FETCH_RULE_ID, runtimeFetchMessage } from '../src/manifest/runtime-fetch.js';

// What runs is downloaded when the server starts, so the reviewed bundle is not the code that runs
// (src/manifest/runtime-fetch.ts tells which launch commands download what).
export default defineRule({
  meta: {
    id: RUNTIME_FETCH_RULE_ID,
    category: 'supply-chain',
    severity: 'high',
    description:
      'mcp_config downloads the code it runs when the server starts (`npx`, `npm exec`, `pnpm dlx`, `uvx`, `uv run --with`, `pipx run`, `docker run`, `curl | sh`), so what runs is not what is in the bundle.',
    remediation:
      'Review the downloaded package or script itself, not the bundle, before installing. Ask the publisher to ship the server and its dependencies inside the bundle.',
    messages: {
      unpinned:
        '{field}: "{launcher}" downloads "{spec}" each time the server starts and runs it. The bundle contains none of the code that will run, and with no fixed version it can change at any start.',
      pinned: '{field}: "{launcher}" downloads "{spec}" when the server starts and runs it. The bundle contains none of the code that will run.',
      script:
        '{field}: a shell script downloads "{spec}" with {launcher} and runs it. The bundle contains none of the code that will run, and it can change at any start.',
      dependencies:
        '{field}: "{launcher}" installs "{spec}" from the bundle, downloading the packages it depends on when the server starts. The bundle contains none of their code, which runs with the server.',
    },
    docs: {
      why:
        'When `mcp_config` launches the server with `npx`, `npm exec`, `pnpm dlx`, `yarn dlx`, `bunx`, `npm create` (or ' +
        '`init`, `yarn create`, `pnpm create`, `bun create` with an initializer), `uvx`, `pipx run`, `uv run --with`, `pip ' +
        'install`, `go run module@version`, `deno` with a remote URL, `docker run`, or a shell line that pipes `curl` or ' +
        '`wget` into an interpreter or runs its output (`bash -c "$(curl …)"`), the code that runs is downloaded at each start. The bundle you review, and this audit, ' +
        'contain none of it; a compromised or typo-squatted package reaches every user at their next start, with their ' +
        'privileges and outside any sandbox. mcp-remote, usually started through `npx`, is the known case: versions before ' +
        '0.1.16 ran a shell command chosen by a remote server (CVE-2025-6514). High, whether pinned or not: even an exact ' +
        'version pins only the top package, whose dependencies are resolved by range at download time; the message says when ' +
        'no fixed version is given at all. An installer given a package of the bundle (`npm install ${__dirname}/server`) ' +
        'downloads what that package depends on, and the message says so.',
      falsePositives:
        "A launcher given a local path runs code from the bundle and is not flagged: `npx ./tool`, `uvx ${__dirname}/server`, " +
        "or a bundled CLI (the `valid` example). Plain `uv run` installs the bundle's own `pyproject.toml` and is not a fetch, " +
        "but `--with` or `--from` add packages from outside it, and a script given as a URL is downloaded (where the bundle's own " +
        "dependencies come from is `deps-python-source`'s); installers (`pip install -r requirements.txt`, `pip install " +
        "${__dirname}/server`) still download every dependency they declare, so they are reported. Shell lines are followed " +
        "through `sh -c`, `env`, `sudo` and similar wrappers a few levels deep; a download that is saved but never run by the " +
        "line itself is not reported here. Servers configured by hand in `claude_desktop_config.json` are checked the same way " +
        "when scanned with `--installed`.",
      references: [
        { title: 'CWE-494: Download of Code Without Integrity Check', url: 'https://cwe.mitre.org/data/definitions/494.html' },
        { title: 'CWE-829: Inclusion of Functionality from Untrusted Control Sphere', url: 'https://cwe.mitre.org/data/definitions/829.html' },
        { title: 'CVE-2025-6514: mcp-remote OS command injection', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-6514' },
        { title: 'npm Docs: npx', url: 'https://docs.npmjs.com/cli/v10/commands/npx' },
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
      ],
    },
  },
  check({ manifest }, context) {
    if (manifest.json === undefined) return;
    const seen = new Set<string>();
    for (const config of launchConfigs(manifest.json)) {
      if (config.command === null) continue;
      const argv: string[] = [];
      const paths: JsonPath[] = [];
      for (const word of commandWords(config.command.value)) {
        argv.push(word);
        paths.push(config.command.path);
      }
      for (const arg of config.args) {
        argv.push(arg.value);
        paths.push(arg.path);
      }
      const hit = detectRuntimeFetch(argv);
      if (hit === null) continue;
      const path = paths[hit.at] ?? config.command.path;
      const messageId = runtimeFetchMessage(hit);
      const key = `${pointerOf(path)} ${hit.launcher} ${hit.spec}`;
      if (seen.has(key)) continue;
      seen.add(key);
      context.report({
        messageId,
        data: { field: fieldLabel(path), launcher: hit.launcher, spec: hit.spec },
        location: { file: 'manifest.json', pointer: pointerOf(path) },
      });
    }
  },
});
