import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { resolveRoles } from './role-graph.js'

const permissionsOf = (roles: ReturnType<typeof resolveRoles>, name: string) => [...(roles.get(name) ?? [])]

describe('resolveRoles', () => {
  it('follows inheritance over several levels', () => {
    const roles = resolveRoles('definePolicy', {
      viewer: { permissions: ['notes:read'] },
      editor: { inherits: ['viewer'], permissions: ['notes:write'] },
      admin: { inherits: ['editor'], permissions: ['notes:delete:any'] },
      auditor: { inherits: ['viewer', 'admin'] },
    })
    expect(permissionsOf(roles, 'viewer')).toEqual(['notes:read'])
    expect(permissionsOf(roles, 'editor')).toEqual(['notes:write', 'notes:read'])
    expect(permissionsOf(roles, 'admin')).toEqual(['notes:delete:any', 'notes:write', 'notes:read'])
    expect(permissionsOf(roles, 'auditor')).toEqual(['notes:read', 'notes:delete:any', 'notes:write'])
  })

  it('shares a parent between children (a diamond is not a cycle)', () => {
    const roles = resolveRoles('definePolicy', {
      base: { permissions: ['a'] },
      left: { inherits: ['base'], permissions: ['b'] },
      right: { inherits: ['base'], permissions: ['c'] },
      top: { inherits: ['left', 'right'] },
    })
    expect(permissionsOf(roles, 'top').sort()).toEqual(['a', 'b', 'c'])
  })

  it.each<[string, Record<string, { inherits?: string[]; permissions?: string[] }>, string]>([
    [
      'a self-inheritance',
      { admin: { inherits: ['admin'] } },
      'definePolicy.roles.admin.inherits: forms a cycle (admin → admin).',
    ],
    [
      'a two-role cycle',
      { user: { inherits: ['admin'] }, admin: { inherits: ['user'] } },
      'definePolicy.roles.admin.inherits: forms a cycle (user → admin → user).',
    ],
    [
      'a longer cycle behind a valid role',
      { root: { inherits: ['a'] }, a: { inherits: ['b'] }, b: { inherits: ['c'] }, c: { inherits: ['a'] } },
      'definePolicy.roles.c.inherits: forms a cycle (a → b → c → a).',
    ],
    [
      'an unknown parent',
      { admin: { inherits: ['user', 'ghost'] }, user: {} },
      'definePolicy.roles.admin.inherits[1]: names the unknown role "ghost".',
    ],
    [
      'an inherited prototype name',
      { admin: { inherits: ['toString'] } },
      'definePolicy.roles.admin.inherits[0]: names the unknown role "toString".',
    ],
  ])('refuses %s', (_, roles, message) => {
    expect(() => resolveRoles('definePolicy', roles)).toThrow(SecConfigError)
    expect(() => resolveRoles('definePolicy', roles)).toThrow(message)
  })
})
