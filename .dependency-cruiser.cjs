/**
 * The map of the house: which folder may import which. `tests/unit/import-map.test.ts` runs these rules on every
 * `npm test`; a violation fails it with the two files named.
 *
 * Layers, bottom to top (a layer imports only from layers below it):
 *   utils/shared       result, guards, bytes, format: imports nothing of ours
 *   utils/astra        console hosts (spelled once), routes, capture kinds
 *   utils/zip          reading a zip's directory
 *   utils/bundle       links, finding links, the checker, certificates, storage errors, download commands, snippets
 *   utils/token        tokens, secrets, console token files and CSV, finding tokens and role names
 *   utils/vault        the only code that sees plaintext secrets (WebCrypto; storage passed in)
 *   utils/downloads    judging a finished download, the storage error page
 *   utils/store        IndexedDB: schema, the background's writes, the popup's read-only queries
 *   utils/backup       the backup format, export, import and its merge rules
 *   utils/protocol     every message between the parts (imports types only)
 *   utils/page         code that runs in the console page's MAIN world (the network hook)
 *   utils/platform     browser APIs behind small interfaces (the edge)
 *   utils/background   the background's services and request handlers (browser APIs passed in)
 *   components/        popup (Preact) and in-page features (plain DOM)
 *   cli/               the Node command line (scb-check)
 *   entrypoints/       WXT entry files: wiring only; nothing imports them
 */
const DOMAIN = '^utils/(shared|astra|zip|bundle|token|vault|downloads|backup|store|protocol|page)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Types live at the bottom of their domain: no import cycle, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-entrypoints',
      severity: 'error',
      comment: 'Entry files are wiring: they import, they are never imported.',
      from: {},
      to: { path: '^entrypoints/' },
    },
    {
      name: 'domain-stays-off-the-browser',
      severity: 'error',
      comment: 'Domain code takes browser APIs as arguments; it never reaches the background or the platform edge.',
      from: { path: DOMAIN },
      to: { path: '^utils/(background|platform)/' },
    },
    {
      name: 'shared-is-the-bottom',
      severity: 'error',
      comment: 'utils/shared imports nothing of ours.',
      from: { path: '^utils/shared/' },
      to: { path: '^(utils/(?!shared/)|components/|cli/)' },
    },
    {
      name: 'astra-and-zip-are-low',
      severity: 'error',
      comment: 'Hosts, routes and the zip reader know nothing of bundles, tokens or the store.',
      from: { path: '^utils/(astra|zip)/' },
      to: { path: '^utils/(bundle|token|vault|downloads|backup|store|protocol|page)/' },
    },
    {
      name: 'pure-domains-do-not-reach-the-store',
      severity: 'error',
      comment: 'Bundles, tokens, the vault and downloads are judged from values; the store is above them.',
      from: { path: '^utils/(bundle|token|vault|downloads)/' },
      to: { path: '^utils/(store|backup|protocol|page)/' },
    },
    {
      name: 'protocol-imports-types-only',
      severity: 'error',
      comment: 'The protocol describes messages; it runs nothing of the domains it names.',
      from: { path: '^utils/protocol/' },
      to: { path: '^utils/(?!protocol/|shared/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'components-stay-off-the-background',
      severity: 'error',
      comment: 'The popup and the in-page features ask the background; they never run its services or write the store.',
      from: { path: '^components/' },
      to: { path: '^utils/(background|platform|page)/|^utils/store/writes' },
    },
    {
      name: 'popup-tabs-share-only-shared',
      severity: 'error',
      comment: 'Each popup tab is its own folder; what two tabs use lives in components/popup/shared/.',
      from: { path: '^components/popup/(bundles|tokens|warnings|backup)/' },
      to: { path: '^components/popup/(?!shared/)', pathNot: '^components/popup/$1/' },
    },
    {
      name: 'cli-is-node-only-domain',
      severity: 'error',
      comment: 'The CLI uses domain code, never extension code.',
      from: { path: '^cli/' },
      to: { path: '^(utils/(background|platform|page|store|protocol)/|components/)' },
    },
    {
      name: 'extension-code-does-not-reach-tests-or-cli',
      severity: 'error',
      comment: 'What ships never imports test fixtures, the replica or the CLI.',
      from: { path: '^(utils|components|entrypoints)/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^(tests|cli)/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.output|\\.wxt)/' },
  },
};
