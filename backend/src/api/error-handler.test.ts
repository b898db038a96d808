import { ApiError } from './errors';
import { mapError } from './error-handler';

describe('mapError', () => {
  it('passes client errors through with their status and message', () => {
    expect(mapError(new ApiError(400, 'range: from is after to'))).toEqual({
      status: 400,
      body: { error: 'Bad Request', message: 'range: from is after to' },
      log: false,
    });
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    expect(mapError(tooLarge)).toMatchObject({ status: 413, body: { error: 'Payload Too Large' } });
  });

  it("keeps under-pressure's 503", () => {
    const busy = Object.assign(new Error('the backend is overloaded; retry shortly'), { statusCode: 503 });
    expect(mapError(busy)).toMatchObject({
      status: 503,
      body: { message: 'the backend is overloaded; retry shortly' },
    });
  });

  it('turns validation errors into one message naming the field', () => {
    const error = Object.assign(new Error('body/x must be integer'), {
      statusCode: 400,
      validationContext: 'querystring',
      validation: [{ keyword: 'type', instancePath: '/limit', schemaPath: '', params: { type: 'integer' } }],
    });
    expect(mapError(error)).toEqual({
      status: 400,
      body: { error: 'Bad Request', message: 'limit: must be an integer' },
      log: false,
    });
  });

  it('hides anything unexpected behind a generic 500 and asks for a log line', () => {
    const mapped = mapError(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=secret'));
    expect(mapped.status).toBe(500);
    expect(mapped.log).toBe(true);
    expect(JSON.stringify(mapped.body)).not.toMatch(/secret|10\.0\.0\.5/);
    expect(mapError(Object.assign(new Error('x'), { statusCode: 502 })).status).toBe(500);
  });
});
