import { readFileSync } from 'node:fs';

/** Read once from package.json so --version, serverInfo and the User-Agent never disagree. */
export const PACKAGE_VERSION: string = (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
