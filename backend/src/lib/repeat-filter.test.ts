import { RepeatFilter } from './repeat-filter';

describe('RepeatFilter', () => {
  it('says a message is new once until another comes or it recovers', () => {
    const filter = new RepeatFilter();
    expect([filter.first('a'), filter.first('a'), filter.first('b'), filter.first('a')]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    filter.ok();
    expect(filter.first('a')).toBe(true);
  });
});
