import { wrapWithRowCap } from './row-cap';

describe('wrapWithRowCap', () => {
  it('puts the SQL on lines of its own inside the subquery', () => {
    expect(wrapWithRowCap('SELECT 1 AS n -- note')).toBe(
      'SELECT * FROM (\nSELECT 1 AS n -- note\n) AS custom_metric LIMIT $1',
    );
  });
});
