/** The signed-in user, the instance's demo flag, and what the user's role may do. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { can, FLEET_WIDE_PERMISSIONS, type AppInfoResponse, type Permission, type UserResponse } from '@fleet/shared';
import { ApiError } from '../api/http';
import { authApi } from '../api/resources';

export const useSessionStore = defineStore('session', () => {
  const user = ref<UserResponse | null>(null);
  const info = ref<AppInfoResponse | null>(null);
  const checked = ref(false);

  const demo = computed(() => info.value?.demo ?? false);

  async function loadInfo(): Promise<void> {
    info.value ??= await authApi.info();
  }

  async function restore(): Promise<void> {
    try {
      await loadInfo();
      user.value = (await authApi.session()).user;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      user.value = null;
    } finally {
      checked.value = true;
    }
  }

  async function login(username: string, password: string): Promise<void> {
    user.value = (await authApi.login(username, password)).user;
  }

  async function logout(): Promise<void> {
    await authApi.logout().catch(() => undefined);
    user.value = null;
  }

  /** The region the user is limited to; null for the whole fleet. */
  const scope = computed(() => user.value?.regionId ?? null);

  /** What the role allows; what all regions share stays with users of the whole fleet (as the API rules). */
  function allowed(permission: Permission): boolean {
    if (user.value === null || !can(user.value.role, permission)) return false;
    return scope.value === null || !FLEET_WIDE_PERMISSIONS.includes(permission);
  }

  function forget(): void {
    user.value = null;
  }

  return { user, info, demo, checked, scope, loadInfo, restore, login, logout, allowed, forget };
});
