/** The --help text, generated from config.ts's flag table and cli-command.ts's subcommands. */
import { SUBCOMMANDS } from './cli-command.js';
import { defaultText, envName, flagName, FLAGS, type ConfigKey, type FlagSpec } from './config.js';

/** [flag, value placeholder, help line with its default]: one row per configuration flag. */
export const FLAG_HELP: [flag: string, value: string, help: string][] = (Object.entries(FLAGS) as [ConfigKey, FlagSpec][]).map(([key, spec]) => {
    const stated = defaultText(key);
    const help = spec.multiple ? `${spec.help}; repeatable (environment: a comma list)` : spec.help;
    return [flagName(key), spec.value, stated === undefined ? help : `${help} (default ${stated})`];
});

const COLUMN = 38;

export function helpText(version: string): string {
    const rows = FLAG_HELP.map(([flag, value, help]) => {
        const left = `  --${flag}${value ? ' ' + value : ''}`;
        return `${left.padEnd(COLUMN)}${help}\n${''.padEnd(COLUMN)}env ${envName(flag)}`;
    });
    // A long usage line gets its help on the next line rather than a ragged column.
    const usage = (words: string, help: string) => {
        const left = `  acr-streaming-mcp ${words}`;
        return left.length <= COLUMN + 7 ? `${left.padEnd(COLUMN + 7)} ${help}` : `${left}\n${''.padEnd(COLUMN + 8)}${help}`;
    };
    return [
        `acr-streaming-mcp ${version}: an MCP server for Azure Container Registry artifact streaming`,
        '',
        'Usage:',
        usage('[options]', 'serve MCP (stdio by default)'),
        usage('--sandbox [world.json]', 'serve MCP against the local Azure emulator'),
        ...Object.values(SUBCOMMANDS).map(s => usage(s.usage, s.help)),
        '',
        'Options (flags win over environment variables):',
        ...rows,
        '  -h, --help                            this text',
        '  -v, --version                         print the version',
        ''
    ].join('\n');
}
