/**
 * Data API snippets (astrapy for Python, astra-db-ts for JavaScript): a token and an API endpoint, no bundle.
 * Both read ASTRA_DB_APPLICATION_TOKEN and ASTRA_DB_API_ENDPOINT from the environment (the kit's `.env`), so
 * no snippet ever holds a credential; the keyspace is written only when it is a valid CQL name.
 */
import { isKeyspaceName, labelOf, TOKEN_ENV_VAR } from './driver-snippets';

export const ENDPOINT_ENV_VAR = 'ASTRA_DB_API_ENDPOINT';

export interface DataApiSnippetInput {
  dbName: string;
  keyspace?: string;
}

export interface DataApiSnippets {
  /** `data_api.py`: pip install astrapy python-dotenv */
  astrapy: string;
  /** `data-api.mjs`: npm install @datastax/astra-db-ts */
  astraDbTs: string;
}

export function dataApiSnippets(input: DataApiSnippetInput): DataApiSnippets {
  const dbLabel = labelOf(input.dbName);
  const keyspace = isKeyspaceName(input.keyspace) ? input.keyspace : undefined;

  const astrapy = [
    `# Connect to ${dbLabel} through the Data API: pip install astrapy python-dotenv`,
    `# Reads ${TOKEN_ENV_VAR} and ${ENDPOINT_ENV_VAR} from the environment or the .env file beside it.`,
    'import os',
    '',
    'from astrapy import DataAPIClient',
    '',
    'try:',
    '    from dotenv import load_dotenv',
    '',
    '    load_dotenv()',
    'except ImportError:',
    '    pass  # without python-dotenv, export the variables in the shell instead',
    '',
    `client = DataAPIClient(os.environ['${TOKEN_ENV_VAR}'])`,
    `database = client.get_database(os.environ['${ENDPOINT_ENV_VAR}']${keyspace ? `, keyspace='${keyspace}'` : ''})`,
    'print(database.list_collection_names())',
    '',
  ].join('\n');

  const astraDbTs = [
    `// Connect to ${dbLabel} through the Data API: npm install @datastax/astra-db-ts`,
    `// Reads ${TOKEN_ENV_VAR} and ${ENDPOINT_ENV_VAR} from the environment or the .env file beside it.`,
    "import { DataAPIClient } from '@datastax/astra-db-ts';",
    '',
    'try {',
    "  process.loadEnvFile('.env');",
    '} catch {',
    '  // no .env here (or Node.js before 20.12): the variables come from the shell',
    '}',
    '',
    `const client = new DataAPIClient(process.env.${TOKEN_ENV_VAR});`,
    `const db = client.db(process.env.${ENDPOINT_ENV_VAR}${keyspace ? `, { keyspace: '${keyspace}' }` : ''});`,
    'console.log(await db.listCollections({ nameOnly: true }));',
    '',
  ].join('\n');

  return { astrapy, astraDbTs };
}
