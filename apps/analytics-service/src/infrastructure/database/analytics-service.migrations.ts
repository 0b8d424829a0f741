// Direct paths, not the library's index: the TypeORM CLI loads this list without the whole library.
import { Inbox1764115200001 } from '@todo/event-store/migrations/1764115200001-inbox';
import { TodoFacts1764115500000 } from './migrations/1764115500000-todo-facts';
import { OrderFacts1764115800000 } from './migrations/1764115800000-order-facts';
import { JourneySteps1764117000000 } from '@todo/event-store/migrations/1764117000000-journey-steps';

export const analyticsServiceMigrations = [Inbox1764115200001, TodoFacts1764115500000, OrderFacts1764115800000, JourneySteps1764117000000];
