import { EventType, PLATFORM_CONTRACTS } from '@todo/events';
import { escapeHtml } from '@todo/http-api';
import { platformAsyncApi } from '@todo/messaging';
import { renderAsyncApiPage } from './asyncapi-page';

/** The section of the page about one message at one version. */
function section(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  return page.slice(start, page.indexOf('</section>', start));
}

describe('the AsyncAPI page', () => {
  const page = renderAsyncApiPage(platformAsyncApi());

  it('says what a message means, who sends it and who receives it', () => {
    const completed = section(page, 'todo.completed.v1');

    expect(completed).toContain('The owner completed a todo (PUT /todos/:id/complete)');
    expect(completed).toContain('<strong>Sent by</strong> <code>todo-service</code> ·');
  });

  it('names the producer of an earlier version, which is no longer sent, and that it is upcast', () => {
    const v1 = section(page, 'todo.created.v1');

    expect(v1).toContain('<strong>Sent by</strong> <code>todo-service</code> (before v2; upcast to it on read) ·');
    expect(v1).toContain('v1 has no description');
    expect(v1).toMatch(/received by<\/strong> <code>notification-service<\/code>/);
  });

  it('has a description for every message at every version', () => {
    for (const kind of ['event', 'command'] as const) {
      for (const type of PLATFORM_CONTRACTS.types(kind)) {
        for (const version of PLATFORM_CONTRACTS.versions(kind, type)) {
          expect(section(page, `${type}.v${version}`)).toContain(escapeHtml(PLATFORM_CONTRACTS.description(kind, type)!.description));
        }
      }
    }
    expect(section(page, `${EventType.Inventory.Reserved}.v1`)).not.toContain('Sent by</strong> —');
  });
});
