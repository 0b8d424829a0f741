import { main } from '@todo/service';
import { inventoryService } from './inventory-service.definition';

if (require.main === module) main(inventoryService);
