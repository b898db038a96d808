import { importCycles, importGraph } from './import-graph';

const graphOf = (sources: Record<string, string>) => importGraph(new Map(Object.entries(sources)));

describe('importGraph', () => {
  it('follows relative imports of every kind to files, and only those', () => {
    const graph = graphOf({
      'a/main.ts': [
        "import { b } from './b';",
        "import type { C } from '../c';",
        "export * from './d';",
        "const e = require('./e');",
        "void import('../f');",
        "import { readFileSync } from 'node:fs';",
        "// import { x } from './commented-out';",
        'const text = "import { y } from \'./in-a-string\'";',
      ].join('\n'),
      'a/b.ts': '',
      'c.ts': '',
      'a/d/index.ts': '',
    });
    expect(graph.get('a/main.ts')).toEqual(['a/b.ts', 'c.ts', 'a/d/index.ts', 'a/e', 'f']);
  });

  it('keeps a path out of the root as it leads', () => {
    const graph = graphOf({ 'version.ts': "import pkg from '../package.json';" });
    expect(graph.get('version.ts')).toEqual(['../package.json']);
  });
});

describe('importCycles', () => {
  it('reports each group of files importing one another, with a loop through it', () => {
    const graph = graphOf({
      'x/a.ts': "import './b';",
      'x/b.ts': "import './c'; import '../y';",
      'x/c.ts': "import './a';",
      'y.ts': "import './y';",
      'z.ts': "import './x/a';",
    });
    expect(importCycles(graph)).toEqual([
      { files: ['x/a.ts', 'x/b.ts', 'x/c.ts'], loop: ['x/a.ts', 'x/b.ts', 'x/c.ts', 'x/a.ts'] },
      { files: ['y.ts'], loop: ['y.ts', 'y.ts'] },
    ]);
  });

  it('finds none in a tree of imports', () => {
    expect(
      importCycles(graphOf({ 'a.ts': "import './b'; import './c';", 'b.ts': "import './c';", 'c.ts': '' })),
    ).toEqual([]);
  });
});
