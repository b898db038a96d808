import { ErrorObject } from 'ajv';
import { QueryRequestSchema } from '../contract/query';
import { validatorCompiler } from './validation';
import { validationMessage } from './validation-message';

/** The message a body gets from the real request schema and validator. */
function bodyMessage(body: unknown): string | undefined {
  const validate = validatorCompiler({
    schema: QueryRequestSchema,
    method: 'POST',
    url: '/',
    httpPart: 'body',
  }) as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
  return validate(body) ? undefined : validationMessage(validate.errors ?? [], 'body');
}

const range = { from: 1, to: 2 };
const ts = { refId: 'A', kind: 'timeseries', metric: 'pg_tps' };

describe('validationMessage', () => {
  it('accepts a valid body', () => {
    expect(bodyMessage({ range, queries: [ts] })).toBeUndefined();
  });

  it('names an unknown field at any depth', () => {
    expect(bodyMessage({ range, queries: [ts], extra: 1 })).toBe('extra: unknown field');
    expect(bodyMessage({ range: { ...range, zone: 'utc' }, queries: [ts] })).toBe(
      'range.zone: unknown field',
    );
    expect(bodyMessage({ range, queries: [{ ...ts, colour: 'red' }] })).toBe(
      'queries[0].colour: unknown field',
    );
  });

  it('names a missing field', () => {
    expect(bodyMessage({ queries: [ts] })).toBe('range: is required');
    expect(bodyMessage({ range, queries: [{ refId: 'A', kind: 'timeseries' }] })).toBe(
      'queries[0].metric: is required',
    );
  });

  it('says which kinds exist when the kind is wrong or missing', () => {
    expect(bodyMessage({ range, queries: [{ refId: 'A', kind: 'graph' }] })).toBe(
      'queries[0].kind: must be one of timeseries, table',
    );
    expect(bodyMessage({ range, queries: [{ refId: 'A' }] })).toBe('queries[0].kind: is required');
  });

  it('names wrong types and bounds without coercing the body', () => {
    expect(bodyMessage({ range, intervalMs: '1000', queries: [ts] })).toBe('intervalMs: must be an integer');
    expect(bodyMessage({ range: { from: true, to: 2 }, queries: [ts] })).toBe(
      'range.from: must be an integer or a string',
    );
    expect(bodyMessage({ range, maxDataPoints: 10_001, queries: [ts] })).toBe(
      'maxDataPoints: must be <= 10000',
    );
    expect(bodyMessage({ range, queries: [] })).toBe('queries: must NOT have fewer than 1 items');
    expect(bodyMessage({ range, queries: [{ ...ts, aggregation: 'median' }] })).toBe(
      'queries[0].aggregation: must be one of avg, max, min, last, sum',
    );
    expect(bodyMessage('text')).toBe('body: must be an object');
  });

  it('names a bad filter key and text PostgreSQL cannot hold', () => {
    expect(bodyMessage({ range, queries: [{ ...ts, filters: { 'bad key': 'x' } }] })).toBe(
      'queries[0].filters.bad key: is not an allowed field name',
    );
    expect(bodyMessage({ range, queries: [{ ...ts, filters: { datname: ['a', 'b\u0000'] } }] })).toBe(
      'queries[0].filters.datname[1]: must not contain NUL characters or unpaired surrogates',
    );
  });
});
