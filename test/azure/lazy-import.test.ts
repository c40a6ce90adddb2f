/** createAzureAccess loads no Azure SDK until a call needs one (start-up and idle sessions stay light). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const TRACE = fileURLToPath(new URL('../fixtures/trace-imports.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('constructing the access layer and parsing names import no @azure/* package', async () => {
    const script = `
        const { createAzureAccess } = await import('./src/azure/azure-access.ts');
        await import('./src/tools/index.ts');
        const a = await createAzureAccess({ cloud: 'AzureCloud', subscription: '11111111-2222-3333-4444-555555555555', env: {} });
        a.parseImage('contosoacr.azurecr.io/ml/trainer:v1');
        process.stderr.write('READY\\n');
    `;
    const { stderr } = await run(process.execPath, ['--import', 'tsx', '--import', TRACE, '--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' } });
    expect(stderr).toContain('READY');
    expect(stderr.split('\n').filter(l => l.startsWith('TRACE-IMPORT'))).toEqual([]);
});
