/** The real host names the replica answers for (Chromium maps them to it with --host-resolver-rules). */
export const ASTRA_HOST = 'astra.datastax.com';
export const API_HOST = 'api.astra.datastax.com';
export const STORAGE_HOST = 'datastax-cluster-config-prod.s3.us-east-2.amazonaws.com';
export const ASTRA_ORIGIN = `https://${ASTRA_HOST}`;
