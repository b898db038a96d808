import { parsePartitionBound, singleColumnRange } from './bound-parser';

const value = (text: string) => ({ kind: 'value', text });

describe('parsePartitionBound', () => {
  it('reads single-column range bounds as the server prints them', () => {
    expect(parsePartitionBound("FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')")).toEqual({
      kind: 'range',
      from: [value('2024-01-01')],
      to: [value('2024-02-01')],
    });
    expect(
      parsePartitionBound("FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00.5+05:30')"),
    ).toEqual({
      kind: 'range',
      from: [value('2024-01-01 00:00:00+00')],
      to: [value('2024-02-01 00:00:00.5+05:30')],
    });
  });

  it('reads integers quoted (negative) and bare, and the open ends', () => {
    expect(parsePartitionBound("FOR VALUES FROM ('-10') TO (10)")).toEqual({
      kind: 'range',
      from: [value('-10')],
      to: [value('10')],
    });
    expect(parsePartitionBound('FOR VALUES FROM (MINVALUE) TO (MAXVALUE)')).toEqual({
      kind: 'range',
      from: [{ kind: 'minvalue' }],
      to: [{ kind: 'maxvalue' }],
    });
    expect(parsePartitionBound('for values from (minvalue) to (1.5e+3)')).toEqual({
      kind: 'range',
      from: [{ kind: 'minvalue' }],
      to: [value('1.5e+3')],
    });
  });

  it('reads non-ISO DateStyle output, doubled quotes, E-strings and casts without guessing the format', () => {
    expect(
      parsePartitionBound("FOR VALUES FROM ('01/01/2024 05:30:00 IST') TO ('Sat 01 Feb 05:30:00 2024 IST')"),
    ).toEqual({
      kind: 'range',
      from: [value('01/01/2024 05:30:00 IST')],
      to: [value('Sat 01 Feb 05:30:00 2024 IST')],
    });
    expect(parsePartitionBound("FOR VALUES FROM ('it''s, (odd)') TO (E'a\\\\b')")).toEqual({
      kind: 'range',
      from: [value("it's, (odd)")],
      to: [value('a\\b')],
    });
    expect(
      parsePartitionBound(
        "FOR VALUES FROM ('2024-01-01'::date) TO ('2024-02-01'::timestamp without time zone)",
      ),
    ).toEqual({
      kind: 'range',
      from: [value('2024-01-01')],
      to: [value('2024-02-01')],
    });
  });

  it('reads multi-column bounds, which singleColumnRange then declines', () => {
    const bound = parsePartitionBound(
      "FOR VALUES FROM ('2024-01-01 00:00:00', '1') TO ('2024-01-01 00:00:00', MAXVALUE)",
    );
    expect(bound).toEqual({
      kind: 'range',
      from: [value('2024-01-01 00:00:00'), value('1')],
      to: [value('2024-01-01 00:00:00'), { kind: 'maxvalue' }],
    });
    expect(singleColumnRange(bound)).toBeUndefined();
    expect(singleColumnRange(parsePartitionBound("FOR VALUES FROM ('a') TO ('b')"))).toEqual({
      from: value('a'),
      to: value('b'),
    });
  });

  it('tells default, list and hash partitions apart', () => {
    expect(parsePartitionBound('DEFAULT')).toEqual({ kind: 'default' });
    expect(parsePartitionBound("FOR VALUES IN ('a''b', 'c')")).toEqual({ kind: 'list' });
    expect(parsePartitionBound('FOR VALUES WITH (modulus 2, remainder 0)')).toEqual({ kind: 'hash' });
    expect(singleColumnRange(parsePartitionBound('DEFAULT'))).toBeUndefined();
  });

  it('returns undefined rather than guessing on malformed text', () => {
    for (const text of [
      '',
      'FOR VALUES FROM',
      "FOR VALUES FROM ('2024-01-01') TO",
      "FOR VALUES FROM ('2024-01-01) TO ('2024-02-01')",
      "FOR VALUES FROM ('a') TO ('b', 'c')",
      "FOR VALUES FROM ('a') TO ('b') AND MORE",
      "FOR VALUES FROM ('a') TOO ('b')",
      'FOR VALUES FROM () TO ()',
      'something else',
    ]) {
      expect(parsePartitionBound(text)).toBeUndefined();
    }
  });
});
