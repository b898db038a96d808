import { Runbook } from '../alerts/types';

/**
 * Unit tests only: a runbook, an alert's or a finding kind's guide, has its meaning, first checks
 * (SQL ending in `;`) and remediation, and no placeholder Markdown would swallow.
 */
export function expectCompleteRunbook({ meaning, checks, remediation }: Runbook): void {
  expect(meaning.length).toBeGreaterThan(40);
  expect(checks.length).toBeGreaterThan(0);
  expect(remediation.length).toBeGreaterThan(0);
  for (const check of checks) {
    expect(check.what.length).toBeGreaterThan(10);
    if (check.sql !== undefined) expect(check.sql).toMatch(/;$/);
  }
  // Markdown would swallow <pid> as a tag: placeholders in prose stand in `code`.
  const prose = [meaning, ...checks.map((c) => c.what), ...remediation].map((t) => t.replace(/`[^`]*`/g, ''));
  for (const text of prose) expect(text).not.toMatch(/<[a-z_ ]+>/);
}
