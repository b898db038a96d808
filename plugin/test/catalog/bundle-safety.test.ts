/**
 * @jest-environment node
 */
import { DIST, filesUnder, readDist, requireBuild } from './built-plugin';

/**
 * What the validator refuses in the shipped files themselves: the legacy Angular platform
 * (legacyplatform), tracking scripts (trackingscripts), React's internals (code rule
 * access-old-react-internals) and SVG that can run script (unsafesvg).
 */

// Grafana's built-in Angular detection patterns (pkg/plugins/angulardetector), the fallback for
// the list grafana.com serves to Grafana and to the validator.
const ANGULAR: Array<string | RegExp> = [
  'PanelCtrl',
  'QueryCtrl',
  'app/plugins/sdk',
  'angular.isNumber(',
  'editor.html',
  'ctrl.annotation',
  'getLegacyAngularInjector',
  /['"](app\/core\/utils\/promiseToDigest)|(app\/plugins\/.*?)|(app\/core\/core_module)['"]/,
  /from\s+['"]grafana\/app\//,
  /System\.register\(/,
];

// The validator matches every URL in module.js against a block list of tracking hosts; here, the
// hosts module.js may name at all (the config editor's examples), so any new host gets a look.
const KNOWN_HOSTS = new Set(['localhost', '127.0.0.1', 'pg-governor']);

// The validator's SVG rules: none of these elements, no `on*` event attribute.
const SVG_FORBIDDEN = new Set(
  'annotation-xml audio colgroup iframe math mi mn mo ms mtext noembed noframes noscript plaintext script template thead xmp'.split(
    ' ',
  ),
);

function svgProblems(svg: string): string[] {
  const problems: string[] = [];
  for (const tag of svg.matchAll(/<\/?\s*([A-Za-z][\w:.-]*)([^>]*)>/g)) {
    const [, element = '', attributes = ''] = tag;
    if (SVG_FORBIDDEN.has(element.toLowerCase())) problems.push(`element <${element}>`);
    for (const attribute of attributes.matchAll(/([\w:.-]+)\s*=/g))
      if (/^on/i.test(attribute[1] ?? '')) problems.push(`attribute ${attribute[1]} on <${element}>`);
  }
  return problems;
}

let modules: Array<[string, string]>;

beforeAll(() => {
  requireBuild();
  modules = filesUnder(DIST)
    .filter((f) => f === 'module.js' || f.endsWith('/module.js'))
    .map((f) => [f, readDist(f)]);
});

it('uses no Angular (legacyplatform)', () => {
  for (const [file, text] of modules)
    for (const pattern of ANGULAR)
      expect({
        file,
        pattern: String(pattern),
        found: typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text),
      }).toEqual({
        file,
        pattern: String(pattern),
        found: false,
      });
});

it('calls home nowhere: every URL in module.js is a known example host (trackingscripts)', () => {
  const hosts = modules.flatMap(([, text]) =>
    [...text.matchAll(/https?:\/\/[^\s'"`)\\]+/g)].map((m) => new URL(m[0]).hostname),
  );
  expect(hosts.filter((host) => !KNOWN_HOSTS.has(host))).toEqual([]);
});

it('leaves React’s internals alone (access-old-react-internals)', () => {
  for (const [, text] of modules)
    expect(text).not.toContain('__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED');
});

describe('SVG files (unsafesvg)', () => {
  const svgs = () => filesUnder(DIST).filter((f) => f.endsWith('.svg'));

  it('include the logo', () => {
    expect(svgs()).toContain('img/logo.svg');
  });

  it('hold no script: no forbidden element, no event attribute', () => {
    for (const file of svgs())
      expect({ file, problems: svgProblems(readDist(file)) }).toEqual({ file, problems: [] });
  });

  it('are checked for real: a script and an onload are caught', () => {
    expect(svgProblems('<svg onload="x()"><script>x()</script></svg>')).toEqual([
      'attribute onload on <svg>',
      'element <script>',
      'element <script>',
    ]);
  });
});
