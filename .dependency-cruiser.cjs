/**
 * The import directions the layout promises (README "Layout"), checked on every `npm test` by
 * test/structure/dependency-rules.test.ts. Type-only imports count: a core that imports a contract's
 * type still depends on that contract.
 */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from: { path: from }, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // Resolved into node_modules, or left unresolved when a package is not installed.
    forbid('core-no-sdk', 'The core is plain functions over plain data: no AWS SDK, so it is tested without mocks.',
      '^functions/core/', { path: '(^|/)node_modules/@aws-sdk/|^@aws-sdk/' }),
    forbid('core-no-outer-layers', 'The core depends on nothing around it: not the use cases, adapters, handlers, scaffolding or the local runtime.',
      '^functions/core/', { path: '^(functions/(adapters|application|handlers|shared|api|notify)|local|support|test|bench|infra)/' }),
    forbid('core-no-contracts', 'The core declares its own vocabulary; application/contracts-v1.ts translates the wire contracts into it.',
      '^functions/core/', { path: '^events/' }),
    forbid('contracts-depend-on-nothing', 'The wire contracts sit at the edge: a v2 contract must not have to touch the code that reads v1.',
      '^events/', { path: '^(functions|local|infra|support|test|bench)/' }),
    forbid('handlers-no-local', 'A Lambda entry runs in AWS; the local runtime passes its own deps to createHandler instead.',
      '^functions/handlers/', { path: '^local/' }),
    forbid('adapters-no-handlers', 'Adapters implement ports; the handlers wire them, never the other way round.',
      '^functions/adapters/', { path: '^functions/handlers/' }),
    forbid('functions-no-local-test-bench', 'What is deployed to Lambda imports nothing that only runs on a laptop or in the test run.',
      '^functions/', { path: '^(local|test|bench|support)/' }),
    forbid('web-reuses-only-pure-parts', "The web app runs in a browser: it reuses the contracts, the core's Arabic normalisation and the API's types, never an adapter, a use case, a handler, the local runtime or the SDK.",
      '^web/src/', { path: '^(functions/(adapters|application|handlers|shared|notify)|local|infra|support|test|bench)/|(^|/)node_modules/@aws-sdk/|^@aws-sdk/' }),
    forbid('web-no-node-builtins', 'What the browser loads has no Node built-in to import (web/build.ts, which runs in Node, may).',
      '^web/src/', { dependencyTypes: ['core'] }),
    forbid('functions-no-cycles', 'A cycle makes two modules one unit that cannot be read or tested alone.',
      '^functions/', { circular: true }),
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
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
