/**
 * Test wiring: an AppContext and MCP clients of both eras connected to createServer() in memory.
 * In a test, use connectForTest (closed when the test ends, pass or fail); for a suite run under both eras,
 * describeEachEra / itEachEra (docs/contributing.md, "Test helpers").
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
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
import { closeAfterTest } from './close-after-test.js';

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
/** The two protocol eras: the 2025 initialize handshake, and 2026-07-28 (stateless). */
export const ERAS: readonly Era[] = ['legacy', 'modern'];

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
        close: once(async () => {
            await client.close();
            await closeServer();
        })
    };
}

export type Connection = Awaited<ReturnType<typeof connect>>;

/** connect() inside a test: the client and server are closed when the test finishes, whether it passed or not. */
export async function connectForTest(app: AppContext, era: Era = 'legacy', clientOptions: ConstructorParameters<typeof Client>[1] = {}): Promise<Connection> {
    const c = await connect(app, era, clientOptions);
    closeAfterTest(c);
    return c;
}

/** A suite's client of one era; `client` is connected before the suite's tests run and closed after them. */
export interface EraClient {
    readonly era: Era;
    readonly client: Client;
}

/**
 * Declares the suite `body` once per protocol era (titles end "(legacy era)" / "(modern era)"), each with one
 * client connected to `app()` for the whole suite.
 */
export function describeEachEra(title: string, app: () => AppContext | Promise<AppContext>, body: (c: EraClient) => void): void {
    describe.each(ERAS)(`${title} (%s era)`, era => {
        let conn: Connection | undefined;
        beforeAll(async () => {
            conn = await connect(await app(), era);
        });
        afterAll(async () => {
            await conn?.close();
        });
        body({
            era,
            get client() {
                if (!conn) throw new Error(`the ${era}-era client is used before the suite connected it (use it inside a test)`);
                return conn.client;
            }
        });
    });
}

/** One test per protocol era, each with its own client (closed when the test ends). */
export function itEachEra(title: string, app: () => AppContext | Promise<AppContext>, fn: (client: Client, era: Era) => Promise<void>): void {
    it.each(ERAS)(`${title} (%s era)`, async era => {
        const { client } = await connectForTest(await app(), era);
        await fn(client, era);
    });
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
        close: once(async () => {
            await client.close();
            await server.close();
        })
    };
}

/** connectV1() inside a test, closed when the test finishes. */
export async function connectV1ForTest(app: AppContext) {
    const c = await connectV1(app);
    closeAfterTest(c);
    return c;
}

/** Runs `fn` the first time only; later calls get the same promise (closing twice is harmless). */
function once(fn: () => Promise<void>): () => Promise<void> {
    let done: Promise<void> | undefined;
    return () => (done ??= fn());
}

/** The text of a tool result: its text blocks joined (resource links and other blocks left out). */
export function textOf(result: { content?: unknown }): string {
    return ((result.content ?? []) as { type: string; text?: string }[]).filter(c => c.type === 'text').map(c => c.text ?? '').join('\n');
}
