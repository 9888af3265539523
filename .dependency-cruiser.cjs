/**
 * The layer rules, checked in CI (`npm run layers`). Dependencies point inward:
 *   core → store → domains (agent, airquality, chat, documents, hardware, imports, ollama, providers, settings) → ops → api
 *   → shells (server, cli, electron)
 * The contract (preload/contract) and the shared rules (preload/shared) are importable by all and import none of main/ or renderer/.
 */
const DOMAINS = '(agent|airquality|chat|documents|hardware|imports|ollama|providers|settings)';
const TEST_CODE = '(\\.test\\.tsx?$|/test-support/|test-kit|/test-fixtures|^test/|^e2e/|/fixtures/)';

/**
 * The domains in an order: each may import only the domains before it, so no two domains depend on each
 * other, directly or around a loop. dependency-cruiser's `circular` sees cycles between modules only; this
 * catches them between folders too (settings ↔ ollama was one, with no module cycle). A new domain takes
 * its place here, after every domain it uses.
 */
const DOMAIN_ORDER = [
  'airquality',
  'imports',
  'settings',
  'ollama',
  'hardware',
  'documents',
  'agent',
  'providers',
  'chat',
];
const listed = DOMAINS.slice(1, -1).split('|');
if (listed.length !== DOMAIN_ORDER.length || listed.some((d) => !DOMAIN_ORDER.includes(d))) {
  throw new Error(
    `.dependency-cruiser.cjs: DOMAIN_ORDER (${DOMAIN_ORDER}) must list the DOMAINS (${listed}), each once.`,
  );
}
const domainOrderRules = DOMAIN_ORDER.slice(0, -1).map((domain, i) => ({
  name: `domain-order-${domain}`,
  comment: `${domain} may import only the domains before it in DOMAIN_ORDER: a later one would close a loop between folders.`,
  severity: 'error',
  from: { path: `^main/${domain}/`, pathNot: TEST_CODE },
  to: { path: `^main/(${DOMAIN_ORDER.slice(i + 1).join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-test-code-in-production',
      comment: 'Production modules never import tests, test kits or test doubles.',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'electron-only-in-shell',
      severity: 'error',
      from: { path: '^main/', pathNot: '^main/electron/' },
      to: { path: '^electron$|node_modules/electron/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'contract-imports-nothing',
      severity: 'error',
      from: { path: '^preload/(contract|shared)/' },
      to: { path: '^(main|renderer)/' },
    },
    {
      name: 'renderer-only-through-contract',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^main/' },
    },
    {
      name: 'engine-not-into-renderer',
      severity: 'error',
      from: { path: '^(main|preload)/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      from: { path: '^main/core/', pathNot: TEST_CODE },
      to: { path: '^main/(?!core/)' },
    },
    {
      name: 'store-only-on-core',
      severity: 'error',
      from: { path: '^main/store/', pathNot: TEST_CODE },
      to: { path: '^main/(?!core/|store/)' },
    },
    {
      name: 'domains-below-ops-api-shells',
      severity: 'error',
      from: { path: `^main/${DOMAINS}/`, pathNot: TEST_CODE },
      to: { path: '^main/(ops|api|server|cli|electron)/|^main/engine' },
    },
    ...domainOrderRules,
    {
      name: 'ops-below-api-and-shells',
      severity: 'error',
      from: { path: '^main/ops/', pathNot: TEST_CODE },
      to: { path: '^main/(api|server|cli|electron)/|^main/engine' },
    },
    {
      name: 'api-below-shells',
      severity: 'error',
      from: { path: '^main/api/', pathNot: TEST_CODE },
      to: { path: '^main/(server|cli|electron)/' },
    },
    {
      name: 'shells-apart',
      comment: 'The electron shell and the server do not use the CLI; the server does not use electron.',
      severity: 'error',
      from: { path: '^main/(electron|server)/' },
      to: { path: '^main/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^node_modules/|\\.d\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'] },
  },
};
