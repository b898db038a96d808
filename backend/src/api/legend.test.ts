import { formatLegend } from './legend';

describe('formatLegend', () => {
  it('fills {{label}} placeholders, tolerating spaces inside the braces', () => {
    expect(formatLegend('{{datname}} {{ state }}', { datname: 'app', state: 'idle' })).toBe('app idle');
  });

  it('drops labels the series does not have, as Prometheus does', () => {
    expect(formatLegend('{{target}}/{{relname}}', { target: 't1' })).toBe('t1/');
  });

  it('reads only the labels themselves, not names inherited from Object', () => {
    expect(formatLegend('{{constructor}}{{toString}}x', {})).toBe('x');
  });

  it('leaves other text, and braces that are not placeholders, as they are', () => {
    expect(formatLegend('conn {x} {{}} {{1a}}', {})).toBe('conn {x} {{}} {{1a}}');
  });
});
