/** The roles a token can carry. `admin` opens the platform-wide views and the operator tools. */
export const ROLES = ['admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the verified bearer token says. Every request past the guard has one. */
export interface AuthenticatedUser {
  id: number;
  email: string;
  roles: readonly Role[];
}

export function isAdmin(user: AuthenticatedUser): boolean {
  return user.roles.includes('admin');
}
