/** A fix as this server can offer it: the change tool only when it is registered here, the command always. */
import type { Fix } from '../../streaming/findings.js';
import type { ToolRuntime } from '../define-tool.js';

export function usableFix(fix: Fix, rt: Pick<ToolRuntime, 'registeredTools'>): Fix {
    if (!fix.tool || rt.registeredTools.has(fix.tool.name)) return fix;
    const { tool: _dropped, ...rest } = fix;
    return rest;
}
