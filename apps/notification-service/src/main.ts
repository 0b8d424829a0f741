import { main } from '@todo/service';
import { notificationService } from './notification-service.definition';

if (require.main === module) main(notificationService);
