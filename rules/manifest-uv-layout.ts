import type { ContainerFacts } from '../src/bundle/container.js';
import { entryNameShape } from '../src/bundle/paths.js';
import { defineRule } from '../src/engine/rule.js';
import { quoteList } from '../src/engine/wording.js';
import { pointerOf, stringAt } from '../src/manifest/access.js';
import { dirnamePath, launchConfigs, resolveBundleRelative, serverType } from '../src/manifest/mcp-config.js';

// A `uv` server ships its source and a pyproject.toml; the host installs the dependencies with uv
// when the server starts (MCPB manifest 0.4). A `uv` bundle that also ships installed packages
// (`server/lib` with `*.dist-info`, any `site-packages`) or a whole virtual environment (`pyvenv.cfg`)
// carries code that is not what pyproject.toml names, and may be what runs:
// - medium: a virtual environment where uv looks for the project's own (`<project>/.venv`, or
//   `UV_PROJECT_ENVIRONMENT`). uv reuses an environment that fits and keeps every package already
//   installed at the right version without checking its files, so shipped copies run under the names
//   of the releases uv believes it installed; its `bin/python` is then the interpreter that runs, a
//   native program from the bundle. Also medium: installed packages that mcp_config puts on
//   PYTHONPATH, which comes before what uv installs.
// - low: installed packages or an environment nothing puts on the path: dead weight at best, code
//   meant to be loaded another way (a `sys.path` insert) at worst.
// - info: a `uv` server with no pyproject.toml (and no `# /// script` block in its entry point): uv
//   installs nothing, so the server runs on the standard library and whatever its interpreter already
//   has. Not a risk in itself, but not a working `uv` bundle as the specification describes it.
// `python` servers are expected to ship `server/lib` or `server/venv` and are not checked.

const PACKAGE_DIRS = new Set(['site-packages', 'dist-packages']);
const VENV_NAMES = new Set(['.venv', 'venv']);

interface Shipped {
  dir: string;
  kind: 'venv' | 'packages';
  files: string[];
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** Virtual environments and folders of installed packages, outermost first, each file counted once. */
function shippedEnvironments(container: ContainerFacts, entryDir: string): Shipped[] {
  const paths = [...container.files.keys()].sort();
  const venvs = new Set<string>();
  for (const path of paths) {
    const segments = path.split('/');
    if (segments.at(-1) === 'pyvenv.cfg') venvs.add(directoryOf(path));
    // `venv/lib/python3.12/site-packages/…` or `.venv/bin/python` without its pyvenv.cfg is still one.
    const named = segments.findIndex((segment) => VENV_NAMES.has(segment));
    if (named !== -1 && (segments.slice(named + 1).some((segment) => PACKAGE_DIRS.has(segment)) || /^(bin|Scripts)$/.test(segments[named + 1] ?? ''))) {
      venvs.add(segments.slice(0, named + 1).join('/'));
    }
  }
  // `server/lib/<pkg>-1.0.dist-info/…`: installed packages, not the project's own `lib` package.
  const libs = new Set<string>();
  for (const dir of new Set([join(entryDir, 'lib'), join(entryDir, 'libs'), join(entryDir, 'vendor'), 'lib', 'libs', 'vendor'])) {
    if (paths.some((path) => path.startsWith(`${dir}/`) && /^[^/]+\.(?:dist|egg)-info\//.test(path.slice(dir.length + 1)))) libs.add(dir);
  }
  const shipped = new Map<string, Shipped>();
  for (const path of paths) {
    const venv = [...venvs].find((dir) => dir !== '' && path.startsWith(`${dir}/`));
    if (venv !== undefined) {
      get(shipped, venv, 'venv').files.push(path);
      continue;
    }
    const segments = path.split('/');
    const packages = segments.findIndex((segment) => PACKAGE_DIRS.has(segment));
    if (packages !== -1 && packages < segments.length - 1) {
      get(shipped, segments.slice(0, packages + 1).join('/'), 'packages').files.push(path);
      continue;
    }
    const lib = [...libs].find((dir) => path.startsWith(`${dir}/`));
    if (lib !== undefined) get(shipped, lib, 'packages').files.push(path);
  }
  return [...shipped.values()].filter((item) => item.files.length > 0);
}

function get(map: Map<string, Shipped>, dir: string, kind: Shipped['kind']): Shipped {
  let found = map.get(dir);
  if (found === undefined) {
    found = { dir, kind, files: [] };
    map.set(dir, found);
  }
  return found;
}

/** The environment's own interpreter: `bin/python3` or `Scripts/python.exe`, as a file or a symlink entry. */
function interpreterOf(container: ContainerFacts, dir: string): string | null {
  const pattern = new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(?:bin/python[\\d.]*|Scripts/pythonw?\\.exe)$`, 'i');
  for (const path of container.files.keys()) if (pattern.test(path)) return path;
  for (const entry of container.entries) {
    const path = entryNameShape(entry.name).path;
    if (path !== null && pattern.test(path)) return path;
  }
  return null;
}

export default defineRule({
  meta: {
    id: 'manifest-uv-layout',
    category: 'manifest',
    severity: 'medium',
    description:
      'A `uv` server bundle ships installed packages or a virtual environment, which uv may run instead of what pyproject.toml names, or has no pyproject.toml at all.',
    remediation:
      'Do not trust the shipped packages: they are not what pyproject.toml names. Ask the publisher to exclude `.venv`, `venv` and `server/lib` from the bundle (`.mcpbignore`) and ship pyproject.toml with its uv.lock.',
    messages: {
      venvUsed:
        'The bundle ships a virtual environment at "{dir}" ({count}), where uv looks for the project\'s environment: uv reuses one that fits and keeps packages already at the right version without checking their files, so the shipped copies run instead of what uv would install{interpreter}.',
      venv: 'The bundle ships a virtual environment at "{dir}" ({count}){interpreter}. A uv server ships only its source and pyproject.toml; nothing here runs unless something puts it on the path.',
      packagesOnPath:
        'The bundle ships installed packages in "{dir}" ({count}) and mcp_config puts them on PYTHONPATH, ahead of what uv installs: the shipped copies run, not the releases pyproject.toml names.',
      packages:
        'The bundle ships installed packages in "{dir}" ({count}). A uv server ships only its source and pyproject.toml; these run only if something puts them on the path, and then in place of what uv installs.',
      noProject:
        'server.type is "uv" but the bundle has no pyproject.toml{where}: uv installs no dependencies, so the server runs on the standard library and whatever its interpreter already has.',
    },
    docs: {
      why:
        "A `uv` server ships its source and a `pyproject.toml`; the host installs the dependencies with uv when the server " +
        "starts. A `uv` bundle that also ships installed packages (`server/lib` with `*.dist-info` folders, any " +
        "`site-packages`) or a virtual environment (`pyvenv.cfg`, `.venv`, `venv`) carries code that is not what " +
        "`pyproject.toml` names. Medium when it is where uv looks for the project's environment (`.venv` in the project " +
        "folder, or `UV_PROJECT_ENVIRONMENT`): uv reuses an environment that fits and keeps every package it finds at the " +
        "right version without checking its files, so the shipped copies run under the names of trusted releases, and the " +
        "environment's `bin/python` (a native program) is the interpreter. Medium too when mcp_config puts shipped packages " +
        "on `PYTHONPATH`, ahead of what uv installs. Low otherwise: dead weight, or code meant to be loaded another way. " +
        "Info: a `uv` server with no `pyproject.toml` and no `# /// script` block in its entry point, for which uv installs " +
        "nothing.",
      falsePositives:
        "`python` servers are expected to ship `server/lib` or `server/venv` and are not checked. A folder named `lib` counts " +
        "as installed packages only when it holds `*.dist-info` or `*.egg-info` folders, so a project's own `lib` package is " +
        "not reported. A `.venv` packed by accident from the developer's machine usually names an interpreter path that does " +
        "not exist on yours, and uv then recreates it; the finding stays, because what was shipped decides what runs when the " +
        "path does exist.",
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'uv: Project environments (.venv and UV_PROJECT_ENVIRONMENT)', url: 'https://docs.astral.sh/uv/concepts/projects/config/' },
        { title: 'PEP 405: Python Virtual Environments', url: 'https://peps.python.org/pep-0405/' },
        { title: 'CWE-427: Uncontrolled Search Path Element', url: 'https://cwe.mitre.org/data/definitions/427.html' },
      ],
    },
  },
  check(facts, context) {
    const { manifest, container } = facts;
    if (serverType(manifest.json) !== 'uv') return;
    const declarations = facts.python;
    const entryPoint = stringAt(manifest.json, ['server', 'entry_point']);
    const located = entryPoint === undefined ? null : resolveBundleRelative(entryPoint.replace(/^\$\{__dirname\}[/\\]?/, ''));
    const entryDir = located?.kind === 'inside' ? directoryOf(located.path) : '';

    // Where uv keeps the project's environment, for the runs that use one.
    const used = new Set<string>();
    for (const run of declarations.uvRuns) {
      if (!run.isolated && !run.noProject) used.add(join(run.projectDir ?? entryDir, '.venv'));
    }
    const onPath = new Set<string>();
    for (const config of launchConfigs(manifest.json)) {
      for (const variable of config.env) {
        if (variable.name === 'UV_PROJECT_ENVIRONMENT') {
          // Relative to the project folder, as uv reads it; `${__dirname}/…` names a bundle folder.
          const value = variable.value.trim();
          const located = dirnamePath(value);
          if (located?.kind === 'inside') used.add(located.path);
          else if (located === null && !value.includes('${')) {
            for (const dir of declarations.uvProjectDirs) {
              const relative = resolveBundleRelative(join(dir, value));
              if (relative.kind === 'inside') used.add(relative.path);
            }
          }
        }
        if (variable.name !== 'PYTHONPATH') continue;
        for (const piece of variable.value.split(/[:;]/)) {
          const located = dirnamePath(piece.trim());
          if (located?.kind === 'inside') onPath.add(located.path);
        }
      }
    }

    for (const item of shippedEnvironments(container, entryDir)) {
      const location = { file: item.files.find((path) => path.endsWith('/pyvenv.cfg')) ?? item.files[0]! };
      const count = `${item.files.length} ${item.files.length === 1 ? 'file' : 'files'}`;
      if (item.kind === 'venv') {
        const interpreter = interpreterOf(container, item.dir);
        const text = interpreter === null ? '' : `, with its own interpreter "${interpreter}", a native program this audit does not inspect`;
        const isUsed = used.has(item.dir);
        context.report({ messageId: isUsed ? 'venvUsed' : 'venv', data: { dir: item.dir, count, interpreter: text }, severity: isUsed ? 'medium' : 'low', location });
      } else {
        const put = [...onPath].some((path) => path === item.dir || path.startsWith(`${item.dir}/`) || item.dir.startsWith(`${path}/`));
        context.report({ messageId: put ? 'packagesOnPath' : 'packages', data: { dir: item.dir, count }, severity: put ? 'medium' : 'low', location });
      }
    }

    const hasProject = declarations.files.some((file) => file.kind === 'pyproject' || file.kind === 'script');
    if (!hasProject) {
      const requirements = declarations.files.filter((file) => file.kind === 'requirements').map((file) => file.path);
      context.report({
        messageId: 'noProject',
        data: { where: requirements.length > 0 ? ` (it ships ${quoteList(requirements)}, which uv run does not read)` : '' },
        severity: 'info',
        location: { file: 'manifest.json', pointer: pointerOf(['server', 'type']) },
      });
    }
  },
});
