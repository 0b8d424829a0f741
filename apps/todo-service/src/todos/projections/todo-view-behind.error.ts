/** An event arrived before one it follows (a retry overtaken, a second consumer instance): try again shortly. */
export class TodoViewBehindError extends Error {
  constructor(todoId: number, viewVersion: number, eventVersion: number) {
    super(`todo ${todoId}: view is at version ${viewVersion}, event is version ${eventVersion}; waiting for the ones between`);
    this.name = 'TodoViewBehindError';
  }
}
