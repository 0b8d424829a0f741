import { main } from '@todo/service';
import { todoService } from './todo-service.definition';

if (require.main === module) main(todoService);
