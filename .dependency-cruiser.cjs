// The layers of docs/architecture.md, enforced (npm run check:arch; CI runs it).
// bottom (config, crypto, errors, store, events, net, observability, time, audio, i18n)
//   ← domain (verify, factors, voice, handoff, services, accounts, send-gate, providers, channels, authy)
//   ← composition (context.ts, create-context.ts)
//   ← edge (http, hosted, pages, admin, virtual-phone) ← entry points (server.ts, background jobs, maintenance scheduler, cluster workers, cli, authenticator)
// hosted-factors/ (one folder per hosted factor: plug-in record, flow, pages, cards, routes and their schemas, browser scripts; registry.ts, factor-routes.ts) is edge beside http:
// it builds on the handoff domain (session, claims, result signing, budgets), which imports nothing of it.
// pages/html.ts is the auto-escaping template: a library with no imports, used by pages and by the e-mail channel.
const BOTTOM = '^src/(config|crypto|errors|store|events|net|observability|time|audio|i18n)/|^src/pages/html[.]ts$';
const DOMAIN = '^src/(verify|factors|voice|handoff|services|accounts|send-gate|providers|channels|messaging|authy)/';
const EDGE = '^src/(http|hosted|hosted-factors|pages|admin|virtual-phone|cli|authenticator|background|maintenance|cluster)/|^src/(server|create-context)[.]ts$';
const COMPOSITION = '^src/(context|create-context)[.]ts$';
// A provider is a plug-in folder (issue 12 §5): its factory and client are domain code, its webhook
// routes (and their schemas) are HTTP edge, and its plug-in record (and the registry over them) ties the two together.
const PLUGIN_EDGE = '^src/providers/.*-(routes|plugin|schema)[.]ts$|^src/providers/(registry|create-providers)[.]ts$';
const WEB_FRAMEWORK = '^node_modules/(fastify|@fastify/|fastify-)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'every-module-in-a-layer',
      severity: 'error',
      comment: 'A new top-level folder of src/ must be given its layer here (and in docs/architecture.md).',
      from: { path: '^src/', pathNot: `${BOTTOM}|${DOMAIN}|${EDGE}|${COMPOSITION}` },
      to: {},
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules form a directed graph: a cycle (type-only imports included) means two modules are one concept or a dependency points upward.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'bottom-imports-only-bottom',
      severity: 'error',
      comment: 'config, crypto, errors, store, events, net and observability are the bottom layer: they import each other and libraries, nothing above.',
      from: { path: BOTTOM },
      to: { path: '^src/', pathNot: BOTTOM },
    },
    {
      name: 'bottom-no-web-framework',
      severity: 'error',
      comment: 'The bottom layer knows nothing of HTTP.',
      from: { path: BOTTOM },
      to: { path: WEB_FRAMEWORK },
    },
    {
      name: 'domain-not-edge',
      severity: 'error',
      comment: 'Domain modules never import the HTTP edge (routes, wire mapping), pages, the admin console, entry points or the composition root.',
      from: { path: DOMAIN, pathNot: PLUGIN_EDGE },
      to: { path: `${EDGE}|${PLUGIN_EDGE}`, pathNot: BOTTOM },
    },
    {
      name: 'domain-no-web-framework',
      severity: 'error',
      comment: 'Domain modules never import Fastify or its plug-ins: requests and replies are the edge\'s business.',
      from: { path: DOMAIN, pathNot: PLUGIN_EDGE },
      to: { path: WEB_FRAMEWORK },
    },
    {
      name: 'wire-resources-at-the-edge',
      severity: 'error',
      comment: 'An API resource (Twilio field names, url, links) is built at the edge, in src/http/resources/<name>-resource.ts; domain modules return rows and records. (Outbox event payloads stay in the domain: they are snapshots written in the transaction of the change.)',
      from: { path: '^src/.+-resource[.]ts$', pathNot: '^src/http/resources/' },
      to: {},
    },
    {
      name: 'only-edge-imports-composition',
      severity: 'error',
      comment: 'create-context.ts wires everything; only entry points and the edge may call it.',
      from: { path: '^src/', pathNot: `${EDGE}|^src/server[.]ts$` },
      to: { path: '^src/create-context[.]ts$' },
    },
    {
      name: 'sql-only-in-store',
      severity: 'error',
      comment: 'SQL lives in src/store/ (the storage seam): elsewhere code takes `Stores` (ctx.stores, tx in stores.transaction), never Kysely or the raw database handle; only the composition root opens the database.',
      from: { path: '^src/', pathNot: '^src/store/|^src/(context|create-context)[.]ts$|[.]test[.]ts$' },
      to: { path: '^node_modules/kysely/|^src/store/(database|prepared|sqlite-dialect|dialect)[.]ts$' },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Production code never imports tests or test support.',
      from: { path: '^src/', pathNot: '[.]test[.]ts$' },
      to: { path: '[.]test[.]ts$|^test/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Tests are not layered (they reach into any module they test); they are checked by tsc and knip.
    exclude: { path: '[.]test[.]ts$|^test/|/static/|/assets/|/templates/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
