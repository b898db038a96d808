import Fastify, { FastifyInstance } from 'fastify';
import { accessControl } from '../../backend/src/api/access-control';
import { TokenSet } from '../../backend/src/api/auth';
import { errorHandler } from '../../backend/src/api/error-handler';
import { governorRoutes } from '../../backend/src/api/routes/governor';
import { validatorCompiler } from '../../backend/src/api/validation';
import { RequestedMode } from '../../backend/src/governor/operator-modes';

const ADMIN = 'admin-token-0123456789';
const READ = 'read-token-0123456789';

/** The mode route as the API server mounts it (validator, error handler, bearer tokens), over HTTP. */
describe('POST /api/v1/governor/:target/mode', () => {
  let app: FastifyInstance;
  let base: string;
  const calls: { target: string; mode: RequestedMode; who: string }[] = [];

  beforeAll(async () => {
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setErrorHandler(errorHandler);
    app.addHook('onRequest', accessControl(new TokenSet({ readTokens: [READ], adminTokens: [ADMIN] })));
    const governor = {
      async setMode(target: string, mode: RequestedMode, who: string) {
        if (target !== 'main') return undefined;
        calls.push({ target, mode, who });
        return {
          target,
          mode: mode === 'configured' ? ('dry-run' as const) : mode,
          previous: 'dry-run' as const,
          changed: true,
          by: who,
          at: '2024-01-01T00:00:00.000Z',
          source: 'operator' as const,
        };
      },
    };
    await app.register(governorRoutes({ governor }), { prefix: '/api/v1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(() => app.close());

  const post = async (target: string, body: unknown, token = ADMIN, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}/api/v1/governor/${target}/mode`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    return { statusCode: response.status, json: () => json };
  };

  it('changes the mode and says who asked (token digest, address, the claimed Grafana user, reason)', async () => {
    const response = await post('main', { mode: 'enforce', reason: 'INC-42' }, ADMIN, {
      'x-grafana-user': 'alice',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      target: 'main',
      mode: 'enforce',
      previous: 'dry-run',
      changed: true,
    });
    expect(calls.at(-1)?.who).toMatch(
      /^admin token sha256:[0-9a-f]{8} from 127\.0\.0\.1, Grafana user "alice" \(claimed by the Grafana proxy\) \(reason: INC-42\)$/,
    );
    expect(calls.at(-1)?.who).not.toContain(ADMIN);
  });

  it('answers 400 naming the field', async () => {
    expect((await post('main', { mode: 'kill-all' })).json()).toMatchObject({
      message: 'mode: must be one of observe, dry-run, enforce, configured',
    });
    expect((await post('main', {})).json()).toMatchObject({ message: 'mode: is required' });
    const unknown = await post('main', { mode: 'enforce', force: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toBe('force: unknown field');
  });

  it('answers 404 for an unknown target', async () => {
    const response = await post('nope', { mode: 'observe' });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('target: no target named "nope"');
  });

  it('needs an admin token', async () => {
    expect((await post('main', { mode: 'observe' }, READ)).statusCode).toBe(403);
    expect((await post('main', { mode: 'observe' }, 'wrong-token-0123456789')).statusCode).toBe(401);
  });
});
