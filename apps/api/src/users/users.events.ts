export const USER_DEACTIVATED = 'user.deactivated';
export interface UserDeactivatedEvent {
  userId: number;
}

/** A user's role or region scope changed: open connections must authenticate again. */
export const USER_ACCESS_CHANGED = 'user.access-changed';
export interface UserAccessChangedEvent {
  userId: number;
}
