import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { lazyRoutes } from '../../src/lib/lazy-routes.ts';

function subApp(): Hono {
  const routes = new Hono();
  routes.get('/hello', (c) => c.json({ hello: c.req.path }));
  routes.get('/boom', () => {
    throw new Error('boom');
  });
  return routes;
}

function appWith(mounts: [string, Hono][]): Hono {
  const app = new Hono();
  for (const [path, routes] of mounts) app.route(path, routes);
  app.notFound((c) => c.json({ not_found: c.req.path }, 404));
  app.onError((error, c) => c.json({ error: error.message }, 500));
  return app;
}

describe('lazyRoutes', () => {
  it('loads the routes on the first request under the mount, and only once', async () => {
    let loads = 0;
    const app = appWith([
      [
        '/under',
        lazyRoutes(async () => {
          loads++;
          return subApp();
        }),
      ],
    ]);
    expect(loads).toBe(0);
    const answers = await Promise.all([app.request('/under/hello'), app.request('/under/hello')]);
    expect(await Promise.all(answers.map((a) => a.json()))).toEqual([
      { hello: '/under/hello' },
      { hello: '/under/hello' },
    ]);
    expect(loads).toBe(1);
  });

  it('falls through to the next mount on a path its routes do not serve, in either order', async () => {
    const other = new Hono();
    other.get('/webhooks/:id', (c) => c.json({ webhook: c.req.param('id') }));
    for (const order of [0, 1]) {
      const mounts: [string, Hono][] = [
        ['/under', lazyRoutes(async () => subApp())],
        ['/under', other],
      ];
      const app = appWith(order ? mounts.reverse() : mounts);
      expect(await (await app.request('/under/webhooks/7')).json()).toEqual({ webhook: '7' });
      expect(await (await app.request('/under/hello')).json()).toEqual({ hello: '/under/hello' });
      const missing = await app.request('/under/nothing');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ not_found: '/under/nothing' });
    }
  });

  it("leaves errors to the outer app's onError", async () => {
    const app = appWith([['/under', lazyRoutes(async () => subApp())]]);
    const answer = await app.request('/under/boom');
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ error: 'boom' });
  });

  it('serves routes mounted at the root', async () => {
    const app = appWith([['/', lazyRoutes(async () => subApp())]]);
    expect(await (await app.request('/hello')).json()).toEqual({ hello: '/hello' });
  });
});
