/** The requests the demos send, to either side: the same POST /todos, as the demo user with its bearer token. */
import { readFileSync } from 'node:fs';
import { HttpAnswer, request } from './http-client';

export function postTodo(baseUrl: string, token: string, requestId: string, title: string): Promise<HttpAnswer> {
  return request('POST', `${baseUrl}/todos`, {
    body: { title, description: 'demo' },
    headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
  });
}

/** When the process started, in clock ticks since boot (/proc/<pid>/stat, field 22): a restarted process has another. */
export function processStartTicks(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19]);
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
