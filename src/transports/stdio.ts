/** stdio, both protocol eras: the first message of a connection pins its era. stdout is the protocol only. */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { AppContext } from '../app-context.js';
import { createServer } from '../server.js';
import { StdioWire } from './stdio-wire.js';

export function startStdio(app: AppContext) {
    const handle = serveStdio(() => createServer(app), { transport: new StdioWire(), onerror: e => app.log.warn(`stdio: ${e.message}`) });
    return { close: () => handle.close() };
}
