// The lifecycle endpoints, as Prometheus serves them: `POST|PUT /-/reload` and `/-/quit` work
// only with `--web.enable-lifecycle`; without it they answer 403 "Lifecycle API is not
// enabled." so that whoever reaches the port cannot reconfigure or stop the server. GET answers
// 405 either way.
import type { HttpServer } from './server.ts';

export interface LifecycleOptions {
  enabled: boolean;
  /** Re-reads the configuration; an error message, or undefined when it worked. */
  reload: () => Promise<string | undefined>;
  /** Starts an orderly stop (after the answer is sent). */
  quit: () => void;
}

export function mountLifecycle(http: HttpServer, o: LifecycleOptions): void {
  const notEnabled = (): { status: number; body: string } => ({
    status: 403,
    body: 'Lifecycle API is not enabled.',
  });
  http.route(['POST', 'PUT'], '/-/reload', async () => {
    if (!o.enabled) return notEnabled();
    const err = await o.reload();
    return err ? { status: 500, body: `failed to reload config: ${err}\n` } : { status: 200, body: '' };
  });
  http.route(['POST', 'PUT'], '/-/quit', () => {
    if (!o.enabled) return notEnabled();
    setImmediate(o.quit);
    return { status: 200, body: 'Requesting termination... Goodbye!' };
  });
  for (const path of ['/-/reload', '/-/quit'])
    http.get(path, () => ({ status: 405, body: 'Only POST or PUT requests allowed' }));
}
