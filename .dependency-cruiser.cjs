/**
 * The import directions the layout promises (README "Layout"), checked on every `npm test` by
 * test/structure/dependency-rules.test.ts. Type-only imports count: a core that imports a contract's
 * type still depends on that contract.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-no-sdk',
      comment: 'The core is plain functions over plain data: no AWS SDK, so it is tested without mocks.',
      severity: 'error',
      from: { path: '^functions/core/' },
      // Resolved into node_modules, or left unresolved when a package is not installed.
      to: { path: '(^|/)node_modules/@aws-sdk/|^@aws-sdk/' },
    },
    {
      name: 'core-no-outer-layers',
      comment: 'The core depends on nothing around it: not the use cases, adapters, handlers, scaffolding or the local runtime.',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { path: '^(functions/(adapters|application|handlers|shared|api|notify)|local|support|test|bench|infra)/' },
    },
    {
      name: 'core-no-contracts',
      comment: 'The core declares its own vocabulary; application/contracts-v1.ts translates the wire contracts into it.',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { path: '^events/' },
    },
    {
      name: 'contracts-depend-on-nothing',
      comment: 'The wire contracts sit at the edge: a v2 contract must not have to touch the code that reads v1.',
      severity: 'error',
      from: { path: '^events/' },
      to: { path: '^(functions|local|infra|support|test|bench)/' },
    },
    {
      name: 'handlers-no-local',
      comment: 'A Lambda entry runs in AWS; the local runtime passes its own deps to createHandler instead.',
      severity: 'error',
      from: { path: '^functions/handlers/' },
      to: { path: '^local/' },
    },
    {
      name: 'adapters-no-handlers',
      comment: 'Adapters implement ports; the handlers wire them, never the other way round.',
      severity: 'error',
      from: { path: '^functions/adapters/' },
      to: { path: '^functions/handlers/' },
    },
    {
      name: 'functions-no-local-test-bench',
      comment: 'What is deployed to Lambda imports nothing that only runs on a laptop or in the test run.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(local|test|bench|support)/' },
    },
    {
      name: 'functions-no-cycles',
      comment: 'A cycle makes two modules one unit that cannot be read or tested alone.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^cdk\\.out/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
