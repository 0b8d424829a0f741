import { main } from '@todo/service';
import { analyticsService } from './analytics-service.definition';

if (require.main === module) main(analyticsService);
