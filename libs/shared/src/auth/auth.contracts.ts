import type { Role } from './roles';

export const USERNAME_PATTERN = /^[a-zA-Z0-9._-]{3,64}$/;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export interface LoginRequest {
  username: string;
  password: string;
}

export interface UserResponse {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  /** The region (with its sub-regions) the user is limited to; null for the whole fleet. */
  regionId: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface LoginResponse {
  accessToken: string;
  expiresAt: string;
  user: UserResponse;
}

/** What the dashboard needs to know about the running instance and the signed-in user. */
export interface SessionResponse {
  user: UserResponse;
  demo: boolean;
  expiresAt: string;
}

export interface CreateUserRequest {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  regionId?: number | null;
}

export interface UpdateUserRequest {
  version?: number;
  displayName?: string;
  password?: string;
  role?: Role;
  regionId?: number | null;
  active?: boolean;
}

export interface AppInfoResponse {
  name: string;
  version: string;
  demo: boolean;
  demoUsers: { username: string; password: string; role: Role }[];
}
