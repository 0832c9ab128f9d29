import { describe, expect, it } from 'vitest';
import { findRoleNames, mightContainRoleNames } from './find-role-names';

const GRAPHQL = 'https://astra.datastax.com/api/v2/graphql';
const REST = 'https://api.astra.datastax.com/v2/organizations/roles';
const ADMIN = '1faa93f2-b889-4190-9585-4bc6e3c3595a';

describe('findRoleNames', () => {
  it("learns role names from the console's GraphQL answer that lists the org's roles", () => {
    const body = JSON.stringify({
      data: {
        currentOrg: { id: 'a3f7c2d1-5b8e-4c9a-9f1e-2d6b8c4e7a10' },
        roles: [
          { id: ADMIN.toUpperCase(), name: 'Database Administrator' },
          { id: 'e1f4c7a9-5b2d-4c8e-9f3a-7d0b5e8c1f94', name: 'R/W User' },
        ],
      },
    });
    expect(mightContainRoleNames(GRAPHQL, body)).toBe(true);
    expect(findRoleNames(GRAPHQL, body)).toEqual({ [ADMIN]: 'Database Administrator', 'e1f4c7a9-5b2d-4c8e-9f3a-7d0b5e8c1f94': 'R/W User' });
  });

  it('learns from the DevOps API roles list and a single role', () => {
    expect(findRoleNames(REST, JSON.stringify([{ id: ADMIN, name: 'Organization Administrator', policy: {} }]))).toEqual({ [ADMIN]: 'Organization Administrator' });
    expect(findRoleNames(`${REST}/${ADMIN}`, JSON.stringify({ id: ADMIN, name: 'Organization Administrator' }))).toEqual({ [ADMIN]: 'Organization Administrator' });
  });

  it('attack 4: `roles` in any other response (a token answer, another URL, a nested object) teaches nothing', () => {
    const forged = JSON.stringify({ data: { roles: [{ id: ADMIN, name: 'RO User' }] } });
    for (const url of ['https://astra.datastax.com/api/v2/graphql-fake', 'https://api.astra.datastax.com/v2/clientIdSecrets', 'https://evil.example/api/v2/graphql', '/api/v2/graphql']) {
      expect(mightContainRoleNames(url, forged)).toBe(false);
      expect(findRoleNames(url, forged)).toEqual({});
    }
    expect(findRoleNames(GRAPHQL, JSON.stringify({ data: { generateToken: { roles: [{ id: ADMIN, name: 'RO User' }] } } }))).toEqual({});
  });

  it('ignores role ids without names, names that are not plain text, bodies that are not JSON, and stops at 500', () => {
    const body = JSON.stringify({ data: { roles: [ADMIN, { id: 'x', name: 'Admin' }, { id: ADMIN, name: '<img src=x onerror=alert(1)>' }] } });
    expect(findRoleNames(GRAPHQL, body)).toEqual({});
    expect(findRoleNames(GRAPHQL, '"roles" but not json')).toEqual({});
    const many = Array.from({ length: 2000 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Role ${i}` }));
    expect(Object.keys(findRoleNames(REST, JSON.stringify(many)))).toHaveLength(500);
  });
});
