import packageJson from '../package.json' with { type: 'json' };

export const TOOL_NAME: string = packageJson.name;

export const TOOL_VERSION: string = packageJson.version;

/** package.json's `repository`, as written (a URL, an npm shorthand, or `{ type, url }`); undefined when it names none. */
export const TOOL_REPOSITORY: unknown = (packageJson as { repository?: unknown }).repository;
