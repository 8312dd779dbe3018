// Where a server gets text that third parties write: the client libraries and API hosts of calendars,
// mail, chat, issue trackers, shared documents, the web and social media, and the words that describe
// such tools. A tool that returns this text to the model lets anyone who can put text there (send an
// invitation, an e-mail, a comment, publish a page) talk to the model: the first half of a chain.
// The user's own files are not in this list: they are not written by strangers as a rule, and every
// filesystem server would otherwise be a source.

const CALENDAR = 'calendar events';
const MAIL = 'e-mail';
const CHAT = 'chat messages';
const ISSUES = 'issues, pull requests and comments';
const DOCUMENTS = 'shared documents';
const WEB = 'web pages';
const SOCIAL = 'social media posts';
const OFFICE = 'mail, calendar events and shared documents';

/** Client libraries by package, or package and member path (`googleapis.google.calendar`), as canonical callees start. */
const CONTENT_APIS: ReadonlyArray<readonly [string, string]> = [
  ['googleapis.google.calendar', CALENDAR],
  ['@googleapis/calendar', CALENDAR],
  ['googleapis.google.gmail', MAIL],
  ['@googleapis/gmail', MAIL],
  ['googleapis.google.drive', DOCUMENTS],
  ['googleapis.google.docs', DOCUMENTS],
  ['googleapis.google.sheets', DOCUMENTS],
  ['googleapis.google.slides', DOCUMENTS],
  ['@googleapis/drive', DOCUMENTS],
  ['@googleapis/docs', DOCUMENTS],
  ['@googleapis/sheets', DOCUMENTS],
  ['@microsoft/microsoft-graph-client', OFFICE],
  ['imapflow', MAIL],
  ['imap', MAIL],
  ['node-imap', MAIL],
  ['imap-simple', MAIL],
  ['mailparser', MAIL],
  ['@slack/web-api', CHAT],
  ['@slack/bolt', CHAT],
  ['discord.js', CHAT],
  ['node-telegram-bot-api', CHAT],
  ['telegraf', CHAT],
  ['grammy', CHAT],
  ['@octokit/rest', ISSUES],
  ['@octokit/core', ISSUES],
  ['@octokit/graphql', ISSUES],
  ['octokit', ISSUES],
  ['@gitbeaker/rest', ISSUES],
  ['@gitbeaker/node', ISSUES],
  ['@linear/sdk', ISSUES],
  ['jira-client', ISSUES],
  ['jira.js', ISSUES],
  ['@notionhq/client', DOCUMENTS],
  ['puppeteer', WEB],
  ['puppeteer-core', WEB],
  ['playwright', WEB],
  ['playwright-core', WEB],
  ['rss-parser', 'news feeds'],
  ['twitter-api-v2', SOCIAL],
  ['snoowrap', SOCIAL],
];

/** API hosts (and subdomains), with a path prefix where one host serves several products. */
const CONTENT_HOSTS: ReadonlyArray<readonly [host: string, pathPrefix: string, content: string]> = [
  ['www.googleapis.com', '/calendar', CALENDAR],
  ['calendar.googleapis.com', '/', CALENDAR],
  ['www.googleapis.com', '/gmail', MAIL],
  ['gmail.googleapis.com', '/', MAIL],
  ['www.googleapis.com', '/drive', DOCUMENTS],
  ['drive.googleapis.com', '/', DOCUMENTS],
  ['docs.googleapis.com', '/', DOCUMENTS],
  ['sheets.googleapis.com', '/', DOCUMENTS],
  ['graph.microsoft.com', '/', OFFICE],
  ['outlook.office.com', '/', OFFICE],
  ['outlook.office365.com', '/', OFFICE],
  ['slack.com', '/api', CHAT],
  ['discord.com', '/api', CHAT],
  ['discordapp.com', '/api', CHAT],
  ['api.telegram.org', '/', CHAT],
  ['api.github.com', '/', ISSUES],
  ['gitlab.com', '/api', ISSUES],
  ['api.bitbucket.org', '/', ISSUES],
  ['api.linear.app', '/', ISSUES],
  ['atlassian.net', '/', ISSUES],
  ['api.notion.com', '/', DOCUMENTS],
  ['api.twitter.com', '/', SOCIAL],
  ['api.x.com', '/', SOCIAL],
  ['oauth.reddit.com', '/', SOCIAL],
  ['www.reddit.com', '/', SOCIAL],
];

/** Words in a tool's name or description that say what it reads; names of services, not verbs every tool uses. */
const CONTENT_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bcalendars?\b/i, CALENDAR],
  [/\b(?:e-?mails?|inbox(?:es)?|gmail|mailbox(?:es)?|outlook)\b/i, MAIL],
  [/\b(?:slack|discord|telegram|whatsapp|microsoft teams|chat messages?|channel messages?)\b/i, CHAT],
  [/\b(?:github|gitlab|bitbucket|jira|linear issues?|pull requests?)\b/i, ISSUES],
  [/\b(?:notion|confluence|google docs|google drive|sharepoint|onedrive|dropbox)\b/i, DOCUMENTS],
  [/\b(?:web ?pages?|websites?|any url|urls?\b.{0,20}\bfetch|fetch\w*\b.{0,20}\burls?|scrap(?:e|es|ing)|crawl\w*|brows(?:e|er|ing)|web search|search the web)\b/i, WEB],
  [/\b(?:rss|atom feeds?|news feeds?)\b/i, 'news feeds'],
  [/\b(?:tweets?|reddit|social media)\b/i, SOCIAL],
];

/** The content a call to a known client library brings in (`new @slack/web-api.WebClient` -> chat messages). */
export function contentOfCallee(callee: string): string | null {
  const name = callee.startsWith('new ') ? callee.slice('new '.length) : callee;
  for (const [prefix, content] of CONTENT_APIS) {
    if (name === prefix || name.startsWith(`${prefix}.`) || name.startsWith(`${prefix}/`)) return content;
  }
  return null;
}

export function contentOfHost(host: string, path: string): string | null {
  for (const [known, pathPrefix, content] of CONTENT_HOSTS) {
    if ((host === known || host.endsWith(`.${known}`)) && path.startsWith(pathPrefix)) return content;
  }
  return null;
}

/** What a tool's name and description say it reads, or null; the text is cut before matching (hostile descriptions can be long). */
export function contentOfText(text: string): { content: string; word: string } | null {
  const head = text.slice(0, 4096);
  for (const [pattern, content] of CONTENT_WORDS) {
    const match = pattern.exec(head);
    if (match) return { content, word: match[0] };
  }
  return null;
}
