import { describe, expect, it } from 'vitest';
import { findRoleNames, mightContainRoleNames } from './find-role-names';

describe('findRoleNames', () => {
  it('learns role names from a console response that lists roles, wherever they sit', () => {
    const body = JSON.stringify({
      data: {
        currentOrg: { id: 'a3f7c2d1-5b8e-4c9a-9f1e-2d6b8c4e7a10' },
        roles: [
          { id: '1FAA93F2-B889-4190-9585-4BC6E3C3595A', name: 'Database Administrator' },
          { id: 'e1f4c7a9-5b2d-4c8e-9f3a-7d0b5e8c1f94', name: 'R/W User' },
        ],
      },
    });
    expect(mightContainRoleNames(body)).toBe(true);
    expect(findRoleNames(body)).toEqual({
      '1faa93f2-b889-4190-9585-4bc6e3c3595a': 'Database Administrator',
      'e1f4c7a9-5b2d-4c8e-9f3a-7d0b5e8c1f94': 'R/W User',
    });
  });

  it('ignores role ids without names, names that are not plain text, and bodies that are not JSON', () => {
    const body = JSON.stringify({ roles: ['1faa93f2-b889-4190-9585-4bc6e3c3595a', { id: 'x', name: 'Admin' }, { id: '1faa93f2-b889-4190-9585-4bc6e3c3595a', name: '<img src=x onerror=alert(1)>' }] });
    expect(findRoleNames(body)).toEqual({});
    expect(findRoleNames('"roles" but not json')).toEqual({});
  });
});
