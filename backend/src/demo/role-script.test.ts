import { substitutePsqlVariables } from './role-script';

describe('substitutePsqlVariables', () => {
  it("replaces :'name' with a quoted literal, escaping quotes", () => {
    expect(substitutePsqlVariables("ALTER ROLE x PASSWORD :'pw';", { pw: "it's" })).toBe(
      "ALTER ROLE x PASSWORD 'it''s';",
    );
  });

  it('names a missing variable', () => {
    expect(() => substitutePsqlVariables(":'monitor_password'", {})).toThrow(/monitor_password/);
  });

  it('leaves casts and other colons alone', () => {
    expect(substitutePsqlVariables('SELECT 1::int, now()', {})).toBe('SELECT 1::int, now()');
  });
});
