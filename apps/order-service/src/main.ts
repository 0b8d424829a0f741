import { main } from '@todo/service';
import { orderService } from './order-service.definition';

if (require.main === module) main(orderService);
