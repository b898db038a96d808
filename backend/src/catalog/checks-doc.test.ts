import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIGURABLE_ALERTS } from './alerts';
import { Catalog } from './catalog';
import { COLLECTOR_DEFINITIONS } from './collectors';
import { FINDING_KINDS } from './findings';

/**
 * docs/checks.md is the coverage page against the anchor tools (issue 15): every check that applies
 * is covered, and what a row names as covering it exists. A renamed finding, alert or table that
 * the page still names fails here rather than misleading the reader.
 */
const page = readFileSync(path.join(__dirname, '../../../docs/checks.md'), 'utf8');
const catalog = new Catalog(COLLECTOR_DEFINITIONS);

const cells = (line: string) =>
  line
    .slice(1, -1)
    .split(' | ')
    .map((c) => c.trim());
const tableRows = (from: string, to?: string) => {
  const start = page.indexOf(from);
  const end = to ? page.indexOf(to, start) : page.length;
  const lines = page.slice(start, end).split('\n');
  // A table's header is the line above its | --- | line.
  return lines
    .filter((l, i) => l.startsWith('| ') && !l.startsWith('| ---') && !lines[i + 1]?.startsWith('| ---'))
    .map(cells);
};
const anchorRows = tableRows('## check_postgres');
const backticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

describe('docs/checks.md', () => {
  it('has anchor rows, each covered or not applicable with a reason (none left to do)', () => {
    expect(anchorRows.length).toBeGreaterThan(150);
    for (const [check, , status] of anchorRows) {
      expect({ check, status: status?.match(/^(covered\b|n\/a\b.*\S)/)?.[1] }).toEqual({
        check,
        status: expect.any(String),
      });
    }
    expect(page).not.toMatch(/\btodo\b/i);
  });

  it('lists every finding kind once in its kinds table, and nothing else', () => {
    const listed = tableRows('## Finding kinds', '\n## ').map(([kind]) => backticked(kind ?? '')[0]);
    expect([...listed].sort()).toEqual(FINDING_KINDS.map((k) => k.id).sort());
  });

  it('names only findings, alerts, tables and collectors that exist', () => {
    const kinds = new Set(FINDING_KINDS.map((k) => k.id));
    const alerts = new Set(CONFIGURABLE_ALERTS.map((a) => a.id));
    const collectors = new Set(COLLECTOR_DEFINITIONS.map((c) => c.name));
    const named = {
      findings: [] as string[],
      alerts: [] as string[],
      tables: [] as string[],
      collectors: [] as string[],
    };
    for (const [, covers = ''] of anchorRows) {
      for (const m of covers.matchAll(/\bfindings? (\*\*)?([a-z0-9_, ]+)/g))
        named.findings.push(
          ...(m[2] as string)
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
      for (const m of covers.matchAll(/\balerts? (\*\*)?([a-z0-9_]+)/g)) named.alerts.push(m[2] as string);
      for (const m of covers.matchAll(/\btables? `([a-z0-9_]+)`/g)) named.tables.push(m[1] as string);
      // "collector: metrics..." or "**collector (new)**: ..." at the start of the cell
      const lead = covers.match(/^(\*\*)?([a-z0-9_]+)( \(new\))?(\*\*)?( collector)?:/);
      if (lead) named.collectors.push(lead[2] as string);
    }
    expect(named.findings.length).toBeGreaterThan(20);
    expect(named.alerts.length).toBeGreaterThan(20);
    expect(named.tables.length).toBeGreaterThan(10);
    expect(named.collectors.length).toBeGreaterThan(20);
    expect(named.findings.filter((k) => !kinds.has(k))).toEqual([]);
    expect(named.alerts.filter((a) => !alerts.has(a))).toEqual([]);
    expect(named.tables.filter((t) => !catalog.tables.has(t))).toEqual([]);
    expect(named.collectors.filter((c) => !collectors.has(c))).toEqual([]);
  });
});
