/** Test wiring: an AppContext and MCP clients of both eras connected to createServer() in memory. */
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport as V1InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createApp, type CreateAppOptions } from '../../src/app.js';
import type { AppContext } from '../../src/app-context.js';
import { configSchema, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createServer } from '../../src/server.js';

export function testConfig(overrides: Partial<Config> = {}): Config {
    return { ...configSchema.parse({}), logLevel: 'silent', ...overrides };
}

export async function testApp(overrides: Partial<Config> = {}, opts: Partial<CreateAppOptions> = {}): Promise<AppContext> {
    const config = testConfig(overrides);
    return createApp({
        config,
        log: createLogger('silent'),
        azure: async () => {
            throw new Error('this test has no Azure access wired');
        },
        ...opts
    });
}

export type Era = 'legacy' | 'modern';

/** A v2 client; 'legacy' = 2025 initialize handshake, 'modern' = 2026-07-28 (served through serveStdio on an in-memory pair). */
export async function connect(app: AppContext, era: Era = 'legacy', clientOptions: ConstructorParameters<typeof Client>[1] = {}) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    let closeServer: () => Promise<void>;
    if (era === 'legacy') {
        const server = createServer(app);
        await server.connect(serverSide);
        closeServer = () => server.close();
    } else {
        const handle = serveStdio(() => createServer(app), { transport: serverSide });
        closeServer = () => handle.close();
    }
    const client = new Client({ name: 'test', version: '1.0.0' }, { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : 'auto' }, ...clientOptions });
    await client.connect(clientSide);
    return {
        client,
        close: async () => {
            await client.close();
            await closeServer();
        }
    };
}

/** A 2025-era client from @modelcontextprotocol/sdk 1.x, as most deployed hosts are today. */
export async function connectV1(app: AppContext) {
    const [clientSide, serverSide] = V1InMemoryTransport.createLinkedPair();
    const server = createServer(app);
    await server.connect(serverSide as never);
    const client = new V1Client({ name: 'v1-test', version: '1.0.0' });
    await client.connect(clientSide);
    return {
        client,
        close: async () => {
            await client.close();
            await server.close();
        }
    };
}

/** The text of a tool result: its text blocks joined (resource links and other blocks left out). */
export function textOf(result: { content?: unknown }): string {
    return ((result.content ?? []) as { type: string; text?: string }[]).filter(c => c.type === 'text').map(c => c.text ?? '').join('\n');
}
