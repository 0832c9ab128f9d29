import { describe, expect, it } from 'vitest';
import { openStore } from '../store/schema';
import { orgNames } from '../store/queries';
import { learnOrgNames } from '../store/writes';
import { findOrgNames, mightContainOrgNames } from './find-org-names';

const ORG_ID = 'a3f7c2d1-5b8e-4c9a-9f1e-2d6b8c4e7a10';
const GRAPHQL = 'https://astra.datastax.com/api/v2/graphql';
const REST = 'https://api.astra.datastax.com/v2/currentOrg';
// As the console's GraphQL answers (the replica's console-host.ts) and the DevOps API's GET /v2/currentOrg.
const graphqlAnswer = JSON.stringify({ data: { currentOrg: { __typename: 'Organization', id: ORG_ID, name: 'Acme Data' } } });
const restAnswer = JSON.stringify({ id: ORG_ID, name: 'Acme Data' });

describe('findOrgNames: the current organization, from the console\'s own answers only', () => {
  it('reads the GraphQL currentOrg and the DevOps API currentOrg', () => {
    expect(mightContainOrgNames(GRAPHQL, graphqlAnswer)).toBe(true);
    expect(findOrgNames(GRAPHQL, graphqlAnswer)).toEqual({ [ORG_ID]: 'Acme Data' });
    expect(findOrgNames(REST, restAnswer)).toEqual({ [ORG_ID]: 'Acme Data' });
  });

  it('learns nothing from any other URL, or from a name that is no printable name', () => {
    for (const url of ['https://evil.example.com/api/v2/graphql', 'https://astra.datastax.com/api/v2/graphql-other', 'http://api.astra.datastax.com/v2/currentOrg', 'https://api.astra.datastax.com/v2/databases']) {
      expect(findOrgNames(url, graphqlAnswer)).toEqual({});
      expect(findOrgNames(url, restAnswer)).toEqual({});
    }
    for (const name of ['', 'x'.repeat(101), 'Acme\u202eataD', 'Acme\nData', '<img src=x>']) {
      expect(findOrgNames(REST, JSON.stringify({ id: ORG_ID, name }))).toEqual({});
    }
    expect(findOrgNames(REST, JSON.stringify({ id: 'not-a-uuid', name: 'Acme Data' }))).toEqual({});
    expect(findOrgNames(REST, '{"id":')).toEqual({});
  });

  it('never lets a learned name replace a known one, and keeps a few only', async () => {
    const db = await openStore(`org-names-${Math.random()}`);
    expect(await learnOrgNames(db, { [ORG_ID]: 'Acme Data' })).toBe(true);
    expect(await learnOrgNames(db, { [ORG_ID]: 'Renamed by a page' })).toBe(false);
    expect(await orgNames(db)).toEqual({ [ORG_ID]: 'Acme Data' });
    const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, `Org ${i}`]));
    await learnOrgNames(db, many);
    expect(Object.keys(await orgNames(db))).toHaveLength(50);
  });
});
