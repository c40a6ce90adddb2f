/**
 * What the sandbox caller may do on a registry, from the world's `callerRoles` (project addition,
 * docs/sandbox.md), per the Learn role directory for ACR ("Azure built-in roles for Azure Container Registry"):
 * - legacy mode (LegacyRegistryPermissions): AcrPull reads, AcrPush pushes, AcrDelete deletes; Owner and
 *   Contributor can do everything; Reader reads metadata only. AcrPush cannot manage a repository's
 *   auto-conversion policy (Learn), Owner/Contributor can.
 * - ABAC mode (AbacRepositoryPermissions): AcrPull/AcrPush/AcrDelete are not honoured; Container Registry
 *   Repository Reader reads, Writer also pushes and manages the auto-conversion policy, Contributor also deletes.
 * Assumption: Reader gets no data-plane content access (it is a control-plane role).
 */
import type { WorldRegistry } from '../world/schema.js';

type Right = 'pull' | 'push' | 'delete' | 'metadata_read' | 'metadata_write' | 'streaming_policy';

const ALL: Right[] = ['pull', 'push', 'delete', 'metadata_read', 'metadata_write', 'streaming_policy'];

const LEGACY: Record<string, Right[]> = {
    Owner: ALL,
    Contributor: ALL,
    Reader: ['metadata_read'],
    AcrPull: ['pull', 'metadata_read'],
    AcrPush: ['pull', 'push', 'metadata_read', 'metadata_write'],
    AcrDelete: ['delete', 'metadata_read']
};

const ABAC: Record<string, Right[]> = {
    Owner: ALL,
    Contributor: ALL,
    Reader: ['metadata_read'],
    'Container Registry Repository Reader': ['pull', 'metadata_read'],
    'Container Registry Repository Writer': ['pull', 'push', 'metadata_read', 'metadata_write', 'streaming_policy'],
    'Container Registry Repository Contributor': ALL
};

export function callerRights(reg: Pick<WorldRegistry, 'callerRoles' | 'roleAssignmentMode'>): ReadonlySet<string> {
    const table = reg.roleAssignmentMode === 'AbacRepositoryPermissions' ? ABAC : LEGACY;
    return new Set(reg.callerRoles.flatMap(r => table[r] ?? []));
}
