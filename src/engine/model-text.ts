import type { CodeFacts, ToolSite } from '../analysis/model/code-facts.js';
import { arrayAt, isObject, objectAt, pointerOf, type JsonPath } from '../manifest/access.js';
import type { Location } from '../report.js';

// Every piece of text a bundle puts in front of the model (or, for the bundle's own description and
// option labels, in front of the user deciding what to grant): the manifest's descriptions, tools,
// prompts and user_config labels, and the names and descriptions of tools as the code registers or
// lists them, with their parameters' descriptions. The prompt-* rules read this list; a new
// language's extractor that fills ToolSite (name, description, params) is covered without change.

export type ModelTextKind =
  /** The bundle's description or long description. */
  | 'bundle'
  | 'tool-name'
  | 'tool-description'
  | 'parameter-description'
  | 'prompt-name'
  | 'prompt-description'
  /** A prompt's template: written to the model on purpose, so only the strongest signals count there. */
  | 'prompt-text'
  | 'option-label';

export interface ModelText {
  text: string;
  kind: ModelTextKind;
  /** Where it is, in words: `the description of tool "read_file"`. */
  field: string;
  location: Location;
  /** The tool it describes. */
  tool?: string;
}

/** Longest text examined per field: descriptions are short, and a hostile one must not cost more than this. */
export const MAX_TEXT = 32 * 1024;

/** What the manifest and the code put in front of the model, in that order; read once into a bundle's facts. */
export function modelTexts(json: unknown, code: CodeFacts): ModelText[] {
  const texts: ModelText[] = [];
  const add = (text: unknown, kind: ModelTextKind, field: string, location: Location, tool?: string) => {
    if (typeof text !== 'string' || text === '') return;
    texts.push({ text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text, kind, field, location, ...(tool === undefined ? {} : { tool }) });
  };
  const at = (path: JsonPath): Location => ({ file: 'manifest.json', pointer: pointerOf(path) });
  if (isObject(json)) {
    add(json.description, 'bundle', 'the manifest description', at(['description']));
    add(json.long_description, 'bundle', 'the manifest long_description', at(['long_description']));
    (arrayAt(json, ['tools']) ?? []).forEach((tool, index) => {
      if (!isObject(tool)) return;
      const name = typeof tool.name === 'string' ? tool.name : undefined;
      add(tool.name, 'tool-name', `the name of manifest tool ${index}`, at(['tools', index, 'name']), name);
      add(tool.description, 'tool-description', `the manifest description of tool "${name ?? index}"`, at(['tools', index, 'description']), name);
    });
    (arrayAt(json, ['prompts']) ?? []).forEach((prompt, index) => {
      if (!isObject(prompt)) return;
      const label = typeof prompt.name === 'string' ? `"${prompt.name}"` : String(index);
      add(prompt.name, 'prompt-name', `the name of prompt ${index}`, at(['prompts', index, 'name']));
      add(prompt.description, 'prompt-description', `the description of prompt ${label}`, at(['prompts', index, 'description']));
      add(prompt.text, 'prompt-text', `the text of prompt ${label}`, at(['prompts', index, 'text']));
    });
    for (const [key, option] of Object.entries(objectAt(json, ['user_config']) ?? {})) {
      if (!isObject(option)) continue;
      add(option.title, 'option-label', `the title of user_config option "${key}"`, at(['user_config', key, 'title']));
      add(option.description, 'option-label', `the description of user_config option "${key}"`, at(['user_config', key, 'description']));
    }
  }
  // A dispatching server names each tool twice, in its branch and in its listing: one name suffices.
  const named = new Set<string>();
  const inCode = (site: ToolSite) => {
    const location = { file: site.file, line: site.line, column: site.column };
    if (!named.has(site.name)) named.add(site.name), add(site.name, 'tool-name', `the name of tool "${site.name}" in ${site.file}`, location, site.name);
    add(site.description, 'tool-description', `the description of tool "${site.name}" in ${site.file}`, location, site.name);
    for (const param of site.params ?? []) {
      add(param.description, 'parameter-description', `the description of parameter "${param.name}" of tool "${site.name}" in ${site.file}`, location, site.name);
    }
  };
  for (const site of code.tools) inCode(site);
  for (const site of code.listedTools) inCode(site);
  return texts;
}

/** The names of the tools this bundle provides, by its manifest and by its code. */
export function toolNamesOf(json: unknown, code: CodeFacts): Set<string> {
  const names = new Set<string>();
  for (const tool of arrayAt(json, ['tools']) ?? []) if (isObject(tool) && typeof tool.name === 'string') names.add(tool.name);
  for (const site of [...code.tools, ...code.listedTools]) names.add(site.name);
  return names;
}
