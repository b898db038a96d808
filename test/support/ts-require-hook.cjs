// Lets a plain `node` child process run the harness's TypeScript, for tests that need a second,
// disposable process: `node -r ./test/support/ts-require-hook.cjs some-script.ts`.
// Transpile only (no type check), like ts-jest with isolatedModules.
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions,
  });
  module._compile(outputText, filename);
};
