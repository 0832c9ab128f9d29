import { describe, expect, it } from 'vitest';
import { connectPageUrl, databaseIdOf, isConsole, isDatabasePage, isTokensPage, orgIdOf } from './routes';

const ORG = '5c1b7c4e-9f0a-4d6e-8a3b-2e1f0c9d8b7a';
const DB = '7b1d8e0a-3c2f-4e55-9a77-0c6f1d2e3b4a';

describe('console pages', () => {
  it.each([
    [`https://astra.datastax.com/org/${ORG}/database/${DB}`, true, false],
    [`https://astra.datastax.com/org/${ORG}/database/${DB}/connect`, true, false],
    [`https://astra.datastax.com/org/${ORG}/database/${DB}/overview?tab=regions`, true, false],
    [`https://astra.datastax.com/${ORG}/database/${DB}/connect`, true, false],
    [`https://astra.datastax.com/org/${ORG}/settings/tokens`, false, true],
    [`https://astra.datastax.com/org/${ORG}/settings/tokens/classic`, false, true],
    [`https://astra.datastax.com/org/${ORG}`, false, false],
    [`https://astra.datastax.com/`, false, false],
    [`https://astra.datastax.com/org/${ORG}/database/not-a-uuid`, false, false],
    [`https://evil.example/org/${ORG}/database/${DB}`, false, false],
    [`http://astra.datastax.com/org/${ORG}/database/${DB}`, false, false],
    ['not a url', false, false],
  ])('%s: database page %s, tokens page %s', (url, database, tokens) => {
    expect(isDatabasePage(url)).toBe(database);
    expect(isTokensPage(url)).toBe(tokens);
  });

  it('reads the organization and database from the route', () => {
    const url = `https://astra.datastax.com/org/${ORG}/database/${DB.toUpperCase()}/connect`;
    expect(isConsole(url)).toBe(true);
    expect(orgIdOf(url)).toBe(ORG);
    expect(databaseIdOf(url)).toBe(DB);
    expect(databaseIdOf(`https://astra.datastax.com/org/${ORG}`)).toBeUndefined();
  });

  it("points to a database's Connect tab for a fresh link", () => {
    expect(connectPageUrl(ORG, DB)).toBe(`https://astra.datastax.com/org/${ORG}/database/${DB}/connect`);
    expect(connectPageUrl(undefined, DB)).toBe('https://astra.datastax.com/');
  });
});
