export const USER_DEACTIVATED = 'user.deactivated';
export interface UserDeactivatedEvent {
  userId: number;
}
