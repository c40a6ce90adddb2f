/**
 * The toolset names, in a leaf module: config.ts validates --toolsets against them without importing
 * any tool (which would pull the tool layer, and through it Azure access, into the configuration).
 */
export const TOOLSETS = ['knowledge', 'acr', 'aks', 'diagnose'] as const;

export type Toolset = (typeof TOOLSETS)[number];
