/** The --help text. test/e2e/cli.test.ts checks that it documents exactly config.ts's flags, with their defaults. */
import { envName } from './config.js';

export const FLAG_HELP: [flag: string, value: string, help: string][] = [
    ['transport', 'stdio|http', 'how clients connect (default stdio)'],
    ['host', 'HOST', 'HTTP bind address (default 127.0.0.1; non-loopback requires --http-token)'],
    ['port', 'PORT', 'HTTP port (default 8765; 0 picks a free one)'],
    ['http-token', 'TOKEN', 'require "Authorization: Bearer TOKEN" on /mcp (at least 16 characters)'],
    ['http-max-sessions', 'N', 'cap on open 2025-era HTTP sessions (default 100)'],
    ['http-session-idle-seconds', 'S', 'close an HTTP session idle this long (default 1800)'],
    ['http-max-body-bytes', 'N', 'largest accepted HTTP request body (default 1048576)'],
    ['read-only', '', 'register no tool that changes anything'],
    ['toolsets', 'LIST', 'comma list of knowledge,acr,aks,diagnose (default all)'],
    ['log-level', 'LEVEL', 'debug|info|warn|error|silent, written to stderr (default info)'],
    ['sandbox', '[WORLD]', 'serve against the built-in Azure emulator (demo world, or WORLD.json) instead of Azure'],
    ['subscription', 'ID', 'Azure subscription (default: AZURE_SUBSCRIPTION_ID, then the az CLI default)'],
    ['tenant', 'ID', 'Microsoft Entra tenant for credentials'],
    ['cloud', 'NAME', 'AzureCloud|AzureChinaCloud|AzureUSGovernment (default AzureCloud)']
];

export function helpText(version: string): string {
    const rows = FLAG_HELP.map(([flag, value, help]) => {
        const left = `  --${flag}${value ? ' ' + value : ''}`;
        return `${left.padEnd(38)}${help}\n${''.padEnd(38)}env ${envName(flag)}`;
    });
    return [
        `acr-streaming-mcp ${version}: an MCP server for Azure Container Registry artifact streaming`,
        '',
        'Usage:',
        '  acr-streaming-mcp [options]                 serve MCP (stdio by default)',
        '  acr-streaming-mcp --sandbox [world.json]    serve MCP against the local Azure emulator',
        '  acr-streaming-mcp sandbox serve [world.json] run only the emulator and print its endpoints',
        '',
        'Options (flags win over environment variables):',
        ...rows,
        '  -h, --help                            this text',
        '  -v, --version                         print the version',
        ''
    ].join('\n');
}
