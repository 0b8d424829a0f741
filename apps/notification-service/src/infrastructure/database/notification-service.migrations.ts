// Direct paths, not the library's index: the TypeORM CLI loads this list without the whole library.
import { Inbox1764115200001 } from '@todo/event-store/migrations/1764115200001-inbox';
import { Notifications1764115400000 } from './migrations/1764115400000-notifications';
import { JourneySteps1764117000000 } from '@todo/event-store/migrations/1764117000000-journey-steps';

export const notificationServiceMigrations = [Inbox1764115200001, Notifications1764115400000, JourneySteps1764117000000];
