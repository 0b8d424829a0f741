import { Inbox1764115200001 } from '@todo/event-store';
import { Notifications1764115400000 } from './migrations/1764115400000-notifications';

export const notificationServiceMigrations = [Inbox1764115200001, Notifications1764115400000];
