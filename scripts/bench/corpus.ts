// The benchmark corpus: real MCP servers from the npm registry, each pinned to an exact version
// (the newest the registry mirror held when the corpus was written) so that a rerun measures the
// same bytes. The manifests are written by hand from each server's README: what matters for the
// benchmark is the installed tree, but a realistic manifest lets the manifest and combination rules
// run as they would on a published bundle.

export interface ToolSpec {
  name: string;
  description: string;
}

export interface UserConfigOption {
  type: 'string' | 'number' | 'boolean' | 'directory' | 'file';
  title: string;
  description: string;
  required?: boolean;
  multiple?: boolean;
  sensitive?: boolean;
  default?: string | number | boolean | string[];
}

export interface CorpusEntry {
  /** Manifest name, bundle file name and `--only` key. */
  name: string;
  displayName: string;
  description: string;
  author: { name: string; url?: string };
  /** npm package and exact version. */
  pkg: string;
  version: string;
  /** The server's executable (its package.json `bin`), relative to the package root. */
  bin: string;
  /** argv after the entry point. */
  args?: string[];
  env?: Record<string, string>;
  userConfig?: Record<string, UserConfigOption>;
  tools: ToolSpec[];
  /** The server lists tools it learns at run time (a proxy): manifest `tools_generated`. */
  toolsGenerated?: true;
  /**
   * npm `overrides` for transitive dependencies whose newest version the registry mirror lacks.
   * Each one changes the installed tree a little from what the public registry would give.
   */
  overrides?: Record<string, string>;
}

// The filesystem server's launch: the directories the user allows, passed as arguments.
const FILESYSTEM_LAUNCH: Pick<CorpusEntry, 'args' | 'userConfig'> = {
  args: ['${user_config.allowed_directories}'],
  userConfig: {
    allowed_directories: {
      type: 'directory',
      title: 'Allowed directories',
      description: 'Directories the server may read and write',
      multiple: true,
      required: true,
      default: ['${DOCUMENTS}'],
    },
  },
};

// The filesystem server's tools after the ones that read one file, the same in both versions.
const FILESYSTEM_TOOLS: readonly ToolSpec[] = [
  { name: 'read_multiple_files', description: 'Read several files at once' },
  { name: 'write_file', description: 'Create or overwrite a file' },
  { name: 'edit_file', description: 'Apply line-based edits to a file' },
  { name: 'create_directory', description: 'Create a directory' },
  { name: 'list_directory', description: 'List a directory' },
  { name: 'directory_tree', description: 'Recursive tree of a directory as JSON' },
  { name: 'move_file', description: 'Move or rename a file' },
  { name: 'search_files', description: 'Find files matching a pattern' },
  { name: 'get_file_info', description: 'File metadata' },
  { name: 'list_allowed_directories', description: 'The directories the server may access' },
];

export const CORPUS: readonly CorpusEntry[] = [
  {
    name: 'sequential-thinking',
    displayName: 'Sequential Thinking',
    description: 'Dynamic, reflective problem solving through a sequence of revisable thoughts',
    author: { name: 'Anthropic, PBC', url: 'https://modelcontextprotocol.io' },
    pkg: '@modelcontextprotocol/server-sequential-thinking',
    version: '2026.8.31',
    bin: 'dist/index.js',
    tools: [{ name: 'sequentialthinking', description: 'Record one step of a revisable chain of thought' }],
  },
  {
    name: 'memory',
    displayName: 'Knowledge Graph Memory',
    description: 'Persistent memory as a local knowledge graph of entities, relations and observations',
    author: { name: 'Anthropic, PBC', url: 'https://modelcontextprotocol.io' },
    pkg: '@modelcontextprotocol/server-memory',
    version: '2026.8.31',
    bin: 'dist/index.js',
    env: { MEMORY_FILE_PATH: '${user_config.memory_file}' },
    userConfig: {
      memory_file: {
        type: 'string',
        title: 'Memory file',
        description: 'Path of the JSON Lines file that stores the graph',
        default: '${HOME}/.mcp-memory.jsonl',
      },
    },
    tools: [
      { name: 'create_entities', description: 'Create entities in the graph' },
      { name: 'create_relations', description: 'Create relations between entities' },
      { name: 'add_observations', description: 'Add observations to entities' },
      { name: 'delete_entities', description: 'Delete entities and their relations' },
      { name: 'delete_observations', description: 'Delete observations from entities' },
      { name: 'delete_relations', description: 'Delete relations' },
      { name: 'read_graph', description: 'Read the whole graph' },
      { name: 'search_nodes', description: 'Search entities by name, type or observation' },
      { name: 'open_nodes', description: 'Read entities by name' },
    ],
  },
  {
    name: 'filesystem',
    displayName: 'Filesystem',
    description: 'Read, write, search and move files inside the directories you allow',
    author: { name: 'Anthropic, PBC', url: 'https://modelcontextprotocol.io' },
    pkg: '@modelcontextprotocol/server-filesystem',
    version: '2026.8.31',
    bin: 'dist/index.js',
    ...FILESYSTEM_LAUNCH,
    tools: [
      { name: 'read_text_file', description: 'Read a file as text' },
      { name: 'read_media_file', description: 'Read an image or audio file as base64' },
      ...FILESYSTEM_TOOLS,
    ],
  },
  {
    name: 'desktop-commander',
    displayName: 'Desktop Commander',
    description: 'Terminal commands, process management and file editing on your computer',
    author: { name: 'Eduards Ruzga', url: 'https://github.com/wonderwhy-er' },
    pkg: '@wonderwhy-er/desktop-commander',
    version: '0.2.52',
    bin: 'dist/index.js',
    tools: [
      { name: 'get_config', description: 'Read the server configuration' },
      { name: 'set_config_value', description: 'Change a configuration value' },
      { name: 'read_file', description: 'Read a file or a URL' },
      { name: 'write_file', description: 'Write or append to a file' },
      { name: 'edit_block', description: 'Replace text in a file' },
      { name: 'list_directory', description: 'List a directory' },
      { name: 'move_file', description: 'Move or rename a file' },
      { name: 'start_search', description: 'Search file names or contents' },
      { name: 'start_process', description: 'Start a terminal command' },
      { name: 'interact_with_process', description: 'Send input to a running process' },
      { name: 'read_process_output', description: 'Read a process output' },
      { name: 'list_processes', description: 'List running processes' },
      { name: 'kill_process', description: 'Kill a process by PID' },
    ],
    // traverse@0.3.10 (via exceljs > unzipper > binary > chainsaw) asks for typedarray.prototype.slice@^1.0.6,
    // which the mirror lacks; 1.0.5 has the same dependencies, so the tree keeps the es-abstract
    // family the public registry would install (pinning traverse@0.3.9 instead drops ~3,000 files).
    overrides: { 'typedarray.prototype.slice': '1.0.5' },
  },
  {
    name: 'kubernetes',
    displayName: 'Kubernetes',
    description: 'Manage a Kubernetes cluster through kubectl and helm with your current kubeconfig',
    author: { name: 'Flux159', url: 'https://github.com/Flux159' },
    pkg: 'mcp-server-kubernetes',
    version: '4.1.7',
    bin: 'dist/index.js',
    tools: [
      { name: 'kubectl_get', description: 'Get or list resources' },
      { name: 'kubectl_describe', description: 'Describe a resource' },
      { name: 'kubectl_apply', description: 'Apply a YAML manifest' },
      { name: 'kubectl_delete', description: 'Delete resources' },
      { name: 'kubectl_create', description: 'Create a resource' },
      { name: 'kubectl_logs', description: 'Read pod logs' },
      { name: 'kubectl_scale', description: 'Scale a deployment' },
      { name: 'kubectl_patch', description: 'Patch a resource' },
      { name: 'kubectl_rollout', description: 'Manage rollouts' },
      { name: 'kubectl_context', description: 'Show or switch kubeconfig contexts' },
      { name: 'exec_in_pod', description: 'Run a command in a pod' },
      { name: 'install_helm_chart', description: 'Install a Helm chart' },
      { name: 'port_forward', description: 'Forward a local port to a pod or service' },
    ],
  },
  {
    name: 'google-calendar',
    displayName: 'Google Calendar',
    description: 'Read and manage Google Calendar events with your own OAuth client',
    author: { name: 'nspady', url: 'https://github.com/nspady' },
    pkg: '@cocal/google-calendar-mcp',
    version: '2.6.3',
    bin: 'build/index.js',
    env: { GOOGLE_OAUTH_CREDENTIALS: '${user_config.oauth_credentials}' },
    userConfig: {
      oauth_credentials: {
        type: 'file',
        title: 'OAuth client credentials',
        description: 'The gcp-oauth.keys.json file downloaded from Google Cloud Console',
        required: true,
      },
    },
    tools: [
      { name: 'list-calendars', description: 'List your calendars' },
      { name: 'list-events', description: 'List events in a time range' },
      { name: 'search-events', description: 'Search events by text' },
      { name: 'get-event', description: 'Read one event' },
      { name: 'create-event', description: 'Create an event' },
      { name: 'update-event', description: 'Update an event' },
      { name: 'delete-event', description: 'Delete an event' },
      { name: 'get-freebusy', description: 'Free/busy information' },
      { name: 'get-current-time', description: 'Current time in a calendar time zone' },
    ],
  },
  {
    name: 'everything',
    displayName: 'Everything',
    description: 'Reference server exercising every MCP feature: tools, resources, prompts, sampling',
    author: { name: 'Anthropic, PBC', url: 'https://modelcontextprotocol.io' },
    pkg: '@modelcontextprotocol/server-everything',
    version: '2026.8.31',
    bin: 'dist/index.js',
    tools: [
      { name: 'echo', description: 'Echo a message back' },
      { name: 'get-sum', description: 'Add two numbers' },
      { name: 'get-env', description: 'Return the server environment' },
      { name: 'trigger-long-running-operation', description: 'Long operation with progress' },
      { name: 'trigger-sampling-request', description: 'Ask the client LLM for a completion' },
    ],
  },
  {
    name: 'slack',
    displayName: 'Slack',
    description: 'Read and post messages in the channels of a Slack workspace',
    author: { name: 'Anthropic, PBC', url: 'https://modelcontextprotocol.io' },
    pkg: '@modelcontextprotocol/server-slack',
    version: '2025.4.25',
    bin: 'dist/index.js',
    env: { SLACK_BOT_TOKEN: '${user_config.bot_token}', SLACK_TEAM_ID: '${user_config.team_id}' },
    userConfig: {
      bot_token: { type: 'string', title: 'Bot token', description: 'The xoxb- token of the Slack app', required: true, sensitive: true },
      team_id: { type: 'string', title: 'Team ID', description: 'The workspace ID, starting with T', required: true },
    },
    tools: [
      { name: 'slack_list_channels', description: 'List public channels in the workspace' },
      { name: 'slack_post_message', description: 'Post a new message to a channel' },
      { name: 'slack_reply_to_thread', description: 'Reply to a message thread' },
      { name: 'slack_add_reaction', description: 'Add an emoji reaction to a message' },
      { name: 'slack_get_channel_history', description: 'Get recent messages from a channel' },
      { name: 'slack_get_thread_replies', description: 'Get all replies in a message thread' },
      { name: 'slack_get_users', description: 'List users in the workspace' },
      { name: 'slack_get_user_profile', description: 'Get the profile of a user' },
    ],
  },
  {
    name: 'github',
    displayName: 'GitHub',
    description: 'Work with GitHub repositories, issues and pull requests',
    author: { name: 'Anthropic, PBC', url: 'https://modelcontextprotocol.io' },
    pkg: '@modelcontextprotocol/server-github',
    version: '2025.4.8',
    bin: 'dist/index.js',
    env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${user_config.token}' },
    userConfig: {
      token: { type: 'string', title: 'Personal access token', description: 'A GitHub token with repo scope', required: true, sensitive: true },
    },
    tools: [
      { name: 'search_repositories', description: 'Search for GitHub repositories' },
      { name: 'get_file_contents', description: 'Get the contents of a file or directory' },
      { name: 'create_or_update_file', description: 'Create or update a single file in a repository' },
      { name: 'list_issues', description: 'List issues in a repository' },
      { name: 'get_issue', description: 'Get the details of an issue' },
      { name: 'add_issue_comment', description: 'Add a comment to an issue' },
      { name: 'create_pull_request', description: 'Create a new pull request' },
      { name: 'get_pull_request_comments', description: 'Get the review comments on a pull request' },
    ],
  },
  {
    name: 'notion',
    displayName: 'Notion',
    description: 'Search, read and edit pages and databases of a Notion workspace',
    author: { name: 'Notion', url: 'https://www.notion.so' },
    pkg: '@notionhq/notion-mcp-server',
    version: '2.5.2',
    bin: 'bin/cli.mjs',
    env: { NOTION_TOKEN: '${user_config.token}' },
    userConfig: {
      token: { type: 'string', title: 'Integration token', description: 'The internal integration secret', required: true, sensitive: true },
    },
    tools: [
      { name: 'API-post-search', description: 'Search pages and databases by title' },
      { name: 'API-retrieve-a-page', description: 'Retrieve a page' },
      { name: 'API-get-block-children', description: 'Retrieve the content blocks of a page' },
      { name: 'API-patch-page', description: 'Update the properties of a page' },
      { name: 'API-post-page', description: 'Create a page' },
    ],
  },
  // Two old versions with published advisories (deps-known-advisory must report them, and not their
  // fixed versions: FIXED_VERSIONS, checked by scripts/check-advisory-corpus.ts). mcp-remote is a
  // stdio proxy to a remote server: its tools are the remote's, learnt at run time, and it opens the
  // browser for OAuth (CVE-2025-6514 before 0.1.16).
  {
    name: 'mcp-remote',
    displayName: 'Remote MCP server (mcp-remote)',
    description: 'Connects Claude Desktop to a remote MCP server over HTTP or SSE, with OAuth sign-in in the browser',
    author: { name: 'Glen Maddern', url: 'https://github.com/geelen/mcp-remote' },
    pkg: 'mcp-remote',
    version: '0.1.14',
    bin: 'dist/proxy.js',
    args: ['${user_config.server_url}'],
    userConfig: {
      server_url: {
        type: 'string',
        title: 'Server URL',
        description: 'The remote MCP server, for example https://example.com/sse',
        required: true,
      },
    },
    tools: [],
    toolsGenerated: true,
  },
  // The version the official filesystem example bundle pinned for months (CVE-2025-53110, CVE-2025-53109).
  {
    name: 'filesystem-pinned',
    displayName: 'Filesystem (2025.3.28)',
    description: 'Read, write, search and move files inside the directories you allow',
    author: { name: 'Anthropic, PBC', url: 'https://modelcontextprotocol.io' },
    pkg: '@modelcontextprotocol/server-filesystem',
    version: '2025.3.28',
    bin: 'dist/index.js',
    ...FILESYSTEM_LAUNCH,
    tools: [
      { name: 'read_file', description: 'Read a file as text' },
      ...FILESYSTEM_TOOLS,
    ],
  },
];

/**
 * For the corpus entries pinned to a vulnerable version: the first version that fixes it, and the
 * advisories (advisories/advisories.json) the old version must be reported for.
 */
export const FIXED_VERSIONS: Readonly<Record<string, { fixed: string; advisories: readonly string[] }>> = {
  'mcp-remote': { fixed: '0.1.16', advisories: ['GHSA-6xpm-ggf7-wc3p'] },
  'filesystem-pinned': { fixed: '2025.7.1', advisories: ['GHSA-hc55-p739-j48w', 'GHSA-q66q-fx2p-7w4m'] },
};

/** Where the package sits inside the bundle, `/`-separated. */
export function packageDir(entry: CorpusEntry): string {
  return `server/node_modules/${entry.pkg}`;
}

export function manifestFor(entry: CorpusEntry): Record<string, unknown> {
  const entryPoint = `${packageDir(entry)}/${entry.bin}`;
  const mcpConfig: Record<string, unknown> = { command: 'node', args: [`\${__dirname}/${entryPoint}`, ...(entry.args ?? [])] };
  if (entry.env) mcpConfig.env = entry.env;
  return {
    manifest_version: '0.3',
    name: entry.name,
    display_name: entry.displayName,
    version: entry.version,
    description: entry.description,
    author: entry.author,
    server: { type: 'node', entry_point: entryPoint, mcp_config: mcpConfig },
    tools: entry.tools,
    ...(entry.toolsGenerated ? { tools_generated: true } : {}),
    ...(entry.userConfig ? { user_config: entry.userConfig } : {}),
  };
}
