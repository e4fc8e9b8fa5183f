/**
 * Roles and what each may do. The API enforces this table on every route;
 * the dashboard reads the same table to show only the actions a user may take.
 */
export const ROLES = ['admin', 'fleet_manager', 'procurement', 'technician', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'fleet:read',
  'terminals:write',
  'terminals:transition',
  'terminals:delete',
  'catalog:write',
  'regions:write',
  'merchants:write',
  'policies:write',
  'imports:run',
  'audit:read',
  'users:manage',
  'devices:manage',
  'health:configure',
  'incidents:report',
  'incidents:work',
  'incidents:settle',
  'maintenance:plan',
  'maintenance:work',
  'alerts:respond',
  'alerts:configure',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  fleet_manager: [
    'fleet:read',
    'terminals:write',
    'terminals:transition',
    'catalog:write',
    'regions:write',
    'merchants:write',
    'policies:write',
    'imports:run',
    'audit:read',
    'devices:manage',
    'health:configure',
    'incidents:report',
    'incidents:work',
    'incidents:settle',
    'maintenance:plan',
    'maintenance:work',
    'alerts:respond',
    'alerts:configure',
  ],
  procurement: ['fleet:read', 'catalog:write', 'policies:write', 'audit:read', 'incidents:settle'],
  technician: ['fleet:read', 'terminals:transition', 'merchants:write', 'audit:read', 'incidents:report', 'incidents:work', 'maintenance:work', 'alerts:respond'],
  auditor: ['fleet:read', 'audit:read'],
};

/**
 * Permissions whose every route changes what all regions share (the catalog,
 * regions, merchants, insurance policies, imports, users): refused to a user
 * limited to a region, whatever the role. Routes that are fleet-wide under a
 * broader permission are marked one by one in the API.
 */
export const FLEET_WIDE_PERMISSIONS: readonly Permission[] = ['catalog:write', 'regions:write', 'merchants:write', 'policies:write', 'imports:run', 'users:manage', 'alerts:configure'];

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
