/** The organization, databases and roles the replica serves. Fixed ids, so tests can name them. */

export type CloudProvider = 'AWS' | 'GCP' | 'AZURE';
export type DatabaseStatus = 'ACTIVE' | 'HIBERNATED';

export interface Datacenter {
  /** `<dbId>-1`, `<dbId>-2`, ...: the first path segment of the bundle's storage key. */
  id: string;
  name: string;
  region: string;
  cloudProvider: CloudProvider;
}

export interface Database {
  id: string;
  name: string;
  keyspace: string;
  /** Classic databases get the Overview | Connect pages; vector databases the newer Overview with "More". */
  kind: 'classic' | 'vector';
  tier: string;
  status: DatabaseStatus;
  createdAt: string;
  datacenters: Datacenter[];
}

export interface Role {
  id: string;
  name: string;
}

export interface Org {
  id: string;
  name: string;
}

export const ORG: Org = { id: 'a3f7c2d1-5b8e-4c9a-9f1e-2d6b8c4e7a10', name: 'Acme Data' };

function datacenters(dbId: string, cloudProvider: CloudProvider, regions: string[]): Datacenter[] {
  return regions.map((region, i) => ({ id: `${dbId}-${i + 1}`, name: `dc-${i + 1}`, region, cloudProvider }));
}

const ORDERS_ID = '6c1f2a9e-3d4b-4e8f-a1c7-9b2d5e8f0a13';
const INVENTORY_ID = '0b8e4d27-91c3-4f6a-8e2d-7c5a3b1f9e42';
const VECTORS_ID = 'e4a9d1c6-7b2f-4d83-b5e0-1f6c9a2d8b57';
const ARCHIVE_ID = 'f2c8b6a4-0e1d-4b7c-9a35-6d8e2f4a1c90';

export const DATABASES: Database[] = [
  {
    id: ORDERS_ID,
    name: 'orders',
    keyspace: 'orders',
    kind: 'classic',
    tier: 'C10',
    status: 'ACTIVE',
    createdAt: '2023-03-14T09:26:53Z',
    datacenters: datacenters(ORDERS_ID, 'GCP', ['us-east1', 'europe-west1']),
  },
  {
    id: INVENTORY_ID,
    name: 'inventory',
    keyspace: 'inventory',
    kind: 'classic',
    tier: 'serverless',
    status: 'ACTIVE',
    createdAt: '2024-01-09T16:02:11Z',
    datacenters: datacenters(INVENTORY_ID, 'AWS', ['us-east-1']),
  },
  {
    id: VECTORS_ID,
    name: 'vectors',
    keyspace: 'default_keyspace',
    kind: 'vector',
    tier: 'serverless',
    status: 'ACTIVE',
    createdAt: '2025-06-02T11:47:30Z',
    datacenters: datacenters(VECTORS_ID, 'AWS', ['us-east-2']),
  },
  {
    id: ARCHIVE_ID,
    name: 'events-archive',
    keyspace: 'events',
    kind: 'classic',
    tier: 'serverless',
    status: 'HIBERNATED',
    createdAt: '2022-08-21T07:15:04Z',
    datacenters: datacenters(ARCHIVE_ID, 'AZURE', ['eastus']),
  },
];

/** Shortcuts for tests: `DB.orders.id`, `DB.vectors.datacenters[0].region`. */
export const DB = {
  orders: DATABASES[0]!,
  inventory: DATABASES[1]!,
  vectors: DATABASES[2]!,
  archive: DATABASES[3]!,
};

/** Role names as they appear in Astra's token CSVs (ASTRA.md section 5). */
export const ROLES: Role[] = [
  { id: 'b4ed0e9a-8b1c-4b8e-9d2f-0c1a7e3f5a21', name: 'Organization Administrator' },
  { id: '1faa93f2-b889-4190-9585-4bc6e3c3595a', name: 'Database Administrator' },
  { id: 'c3d9a6f1-2e4b-4a7c-8f0d-5b6e9a1c3d72', name: 'Admin User' },
  { id: 'd7e2b5c8-3f6a-4b9d-a1e0-6c8f2b4d7e83', name: 'API Admin User' },
  { id: 'e1f4c7a9-5b2d-4c8e-9f3a-7d0b5e8c1f94', name: 'R/W User' },
  { id: 'f8a3d6b1-4c7e-4d2f-b5a9-8e1c6f9d2a05', name: 'RO User' },
  { id: '0a5e8c3f-6d1b-4e9a-a7c2-9f4d1a6e3b16', name: 'R/W Svc Acct' },
  { id: '1b6f9d4a-7e2c-4f0b-b8d3-0a5e2b7f4c27', name: 'RO Svc Acct' },
  { id: '2c7a0e5b-8f3d-4a1c-9e4f-1b6f3c8a5d38', name: 'API R/W User' },
  { id: '3d8b1f6c-9a4e-4b2d-af50-2c7a4d9b6e49', name: 'API RO User' },
  { id: '4e9c2a7d-0b5f-4c3e-b061-3d8b5e0c7f5a', name: 'UI View Only' },
  { id: '5fad3b8e-1c6a-4d4f-8172-4e9c6f1d8a6b', name: 'Billing Admin' },
];

export const DATABASE_ADMIN_ROLE = ROLES[1]!;

export function findDatabase(id: string): Database | undefined {
  return DATABASES.find((db) => db.id === id);
}

export function findRole(idOrName: string): Role | undefined {
  return ROLES.find((role) => role.id === idOrName || role.name === idOrName);
}
