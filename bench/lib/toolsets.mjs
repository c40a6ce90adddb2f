// The toolset names, read from the source (src/tools/toolsets.ts) so the benches follow it.
import { readFileSync } from 'node:fs';

const src = readFileSync(new URL('../../src/tools/toolsets.ts', import.meta.url), 'utf8');
export const TOOLSETS = JSON.parse(/TOOLSETS = (\[[^\]]*\])/.exec(src)[1].replace(/'/g, '"'));
