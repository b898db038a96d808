import { importGraph } from './import-graph';
import { isRuntimeOrBuildFile, layerViolations } from './layers';

const violationsOf = (sources: Record<string, string>) =>
  layerViolations(importGraph(new Map(Object.entries(sources))));

describe('layerViolations', () => {
  it('accepts imports down the layers and inside a folder', () => {
    expect(
      violationsOf({
        'app.ts': "import { x } from './store/x';",
        'store/x.ts': "import { y } from './y'; import { b } from '../lib/backoff';",
        'store/y.ts': "import { c } from '../config/schema';",
        'lib/backoff.ts': '',
        'config/schema.ts': "import { p } from '../lib/field-path';",
        'lib/field-path.ts': '',
      }),
    ).toEqual([]);
  });

  it('reports an import up the layers, type-only ones too', () => {
    expect(
      violationsOf({
        'collectors/a/derive.ts': "import type { L } from '../../metrics/labels';",
        'metrics/labels.ts': '',
      }),
    ).toEqual([
      'collectors/a/derive.ts -> metrics/labels.ts: collectors (layer 5) imports from metrics (layer 8)',
    ]);
  });

  it('reports consumers reaching into each other', () => {
    expect(violationsOf({ 'governor/act.ts': "import '../alerts/engine';", 'alerts/engine.ts': '' })).toEqual(
      ['governor/act.ts -> alerts/engine.ts: governor reaches into alerts (consumers stay apart)'],
    );
  });

  it('reports the service importing build-time code, not build-time code importing the service', () => {
    expect(
      violationsOf({
        'alerts/rule-descriptions.ts': "import '../generate/alerts/names';",
        'generate/alerts/names.ts': "import '../../alerts/rules'; import '../../main';",
        'alerts/rules.ts': '',
        'main.ts': '',
      }),
    ).toEqual([
      'alerts/rule-descriptions.ts -> generate/alerts/names.ts: the service imports build-time code',
    ]);
  });

  it('keeps lib/ and contract/ to themselves and lib/', () => {
    expect(
      violationsOf({
        'lib/retry.ts': "import '../sql/sql-file';",
        'contract/query.ts': "import '../lib/field-path'; import '../version';",
        'sql/sql-file.ts': '',
        'lib/field-path.ts': '',
        'version.ts': '',
      }),
    ).toEqual([
      'contract/query.ts -> version.ts: contract/ imports nothing but lib/',
      'lib/retry.ts -> sql/sql-file.ts: lib/ imports nothing but lib/',
    ]);
  });

  it('reports a file in no layer, and an import of one', () => {
    expect(violationsOf({ 'misc/x.ts': '', 'api/y.ts': "import '../misc/x';" })).toEqual([
      'api/y.ts -> misc/x.ts: misc is in no layer',
      'misc/x.ts: in no layer (add its folder to LAYERS, as ARCHITECTURE.md places it)',
    ]);
  });
});

describe('isRuntimeOrBuildFile', () => {
  it('leaves tests and test helpers out', () => {
    expect(['app.ts', 'governor/decide.ts', 'generate/cli/alerts.ts'].every(isRuntimeOrBuildFile)).toBe(true);
    expect(
      ['governor/decide.test.ts', 'governor/testing/fake-sessions.ts', 'testing/layers.ts'].some(
        isRuntimeOrBuildFile,
      ),
    ).toBe(false);
  });
});
