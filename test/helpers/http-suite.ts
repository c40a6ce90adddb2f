/** Our HTTP transport for one test file: listening on 127.0.0.1 port 0 before its tests, closed after them. */
import { afterAll, beforeAll } from 'vitest';
import type { AppContext } from '../../src/app-context.js';
import { startHttpServer, type HttpAppOptions } from '../../src/transports/http.js';
import { testApp } from './mcp.js';
import { must } from './must.js';

export interface HttpSuite {
    /** The AppContext the server serves (for another server or createHttpApp on the same app). */
    readonly app: AppContext;
    /** `http://127.0.0.1:<port>/mcp` */
    readonly url: URL;
    readonly port: number;
}

/**
 * Starts the server in beforeAll and closes it in afterAll; read the fields inside tests and hooks.
 * `app` defaults to testApp() (no Azure access).
 */
export function serveHttpForSuite(opts: HttpAppOptions, app: () => Promise<AppContext> = () => testApp()): HttpSuite {
    let served: { app: AppContext; srv: Awaited<ReturnType<typeof startHttpServer>> } | undefined;
    beforeAll(async () => {
        const a = await app();
        served = { app: a, srv: await startHttpServer(a, { ...opts, port: 0 }) };
    });
    afterAll(() => served?.srv.close());
    const now = () => must(served, 'the suite HTTP server (started in beforeAll)');
    return {
        get app() {
            return now().app;
        },
        get url() {
            return now().srv.url;
        },
        get port() {
            return now().srv.port;
        }
    };
}
