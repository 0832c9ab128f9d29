/**
 * Every Astra host name the extension knows, spelled once. The manifest (wxt.config.ts), the content scripts'
 * matches, the link checks and the routes all read them from here.
 */

/** The console, a single-page app. */
export const CONSOLE_HOST = 'astra.datastax.com';
export const CONSOLE_ORIGIN = `https://${CONSOLE_HOST}`;
export const CONSOLE_MATCHES = `${CONSOLE_ORIGIN}/*`;

/** The DevOps API the console calls (ASTRA.md section 1). */
export const DEVOPS_API_HOST = 'api.astra.datastax.com';

/** The only storage host that has ever served bundle links (ASTRA.md section 2); nothing else is ever fetched. */
export const STORAGE_HOSTS = ['datastax-cluster-config-prod.s3.us-east-2.amazonaws.com'] as const;
export const STORAGE_MATCHES = STORAGE_HOSTS.map((host) => `https://${host}/*`);

/** A database's CQL and metadata host: `<dbId>-<region>.db.astra.datastax.com` (config.json `host`). */
export const DATABASE_HOST_SUFFIX = '.db.astra.datastax.com';

/** A database's Data API endpoint: `https://<dbId>-<region>.apps.astra.datastax.com`. */
export const DATA_API_HOST_SUFFIX = '.apps.astra.datastax.com';
