/**
 * `acr-streaming-mcp sandbox token --user NAME [world.json]`: prints an access token of a sandbox user for
 * the team server (what VS Code or Claude Code would get from Entra), to try `--sandbox --auth entra` with
 * any client that can send a bearer header. It is signed with the sandbox tenant's built-in first key,
 * which every sandbox publishes, so it works against a sandbox running in another process.
 */
import { EntraKeys } from './entra/entra-keys.js';
import { findUser, mintUserToken } from './entra/entra-tokens.js';
import { DEMO_WORLD_PATH, loadWorld } from './world/load-world.js';

export async function sandboxUserToken(name: string, worldPath?: string, now = Date.now()): Promise<string> {
    const world = await loadWorld(worldPath ?? DEMO_WORLD_PATH, new Date(now));
    const user = findUser(world, name);
    if (!user) throw new Error(`no user "${name}" in the sandbox world; its users: ${world.entra.users.map(u => u.name).join(', ')}`);
    return mintUserToken(world, new EntraKeys(), user, now);
}
