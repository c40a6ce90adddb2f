import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
        // Tests must never reach Azure for real: pin the credential chain to nothing that probes IMDS.
        env: { AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' }
    }
});
