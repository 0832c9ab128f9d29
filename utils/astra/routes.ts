/**
 * Pure predicates on console URLs: which page is this? The console is a single-page app, so callers
 * re-ask on every route change. Tested against a table of real console URLs (pages.test.ts).
 */
import { CONSOLE_HOST } from './hosts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// Current console: /org/{orgId}/database/{dbId}/...; 2021 console: /{orgId}/database/{dbId}/...
const DATABASE_PATH = new RegExp(`^/(?:org/)?(${UUID})/database/(${UUID})(?:/|$)`, 'i');
const TOKENS_PATH = new RegExp(`^/(?:org/)?(${UUID})/settings/tokens(?:/|$)`, 'i');
const ORG_PATH = new RegExp(`^/(?:org/)?(${UUID})(?:/|$)`, 'i');

function toUrl(url: string | URL | Location): URL | null {
  try {
    return new URL(String(url));
  } catch {
    return null;
  }
}

export function isConsole(url: string | URL | Location): boolean {
  const parsed = toUrl(url);
  return parsed !== null && parsed.protocol === 'https:' && parsed.hostname === CONSOLE_HOST;
}

/** A database's pages (Overview, Connect, ...), where bundle links are made. */
export function isDatabasePage(url: string | URL | Location): boolean {
  const parsed = toUrl(url);
  return parsed !== null && isConsole(parsed) && DATABASE_PATH.test(parsed.pathname);
}

/** Settings > Tokens, where application tokens are made. */
export function isTokensPage(url: string | URL | Location): boolean {
  const parsed = toUrl(url);
  return parsed !== null && isConsole(parsed) && TOKENS_PATH.test(parsed.pathname);
}

export function databaseIdOf(url: string | URL | Location): string | undefined {
  const parsed = toUrl(url);
  return parsed ? DATABASE_PATH.exec(parsed.pathname)?.[2]?.toLowerCase() : undefined;
}

export function orgIdOf(url: string | URL | Location): string | undefined {
  const parsed = toUrl(url);
  return parsed ? ORG_PATH.exec(parsed.pathname)?.[1]?.toLowerCase() : undefined;
}

/** Where a user gets a fresh bundle link for a database (its Connect tab). */
export function connectPageUrl(orgId: string | undefined, dbId: string): string {
  return orgId ? `https://${CONSOLE_HOST}/org/${orgId}/database/${dbId}/connect` : `https://${CONSOLE_HOST}/`;
}

/** The Connect page of the bundle's database, or the console's start page when the database is unknown. */
export function connectUrlFor(bundle: { dbId?: string; page: string } | undefined): string {
  return bundle?.dbId ? connectPageUrl(orgIdOf(bundle.page), bundle.dbId) : `https://${CONSOLE_HOST}/`;
}
