/**
 * The first request `npm start` offers (its `Try:` line): sign in as the demo user, then
 * create a todo with the token — one line to paste into a shell, needing only curl and node.
 * Written once here, so that the walkthrough test (test/event-flow.e2e-spec.ts) runs the very
 * line scripts/start-all.js prints.
 */

/** The demo user's password when none is configured: `npm start` serves this machine only (127.0.0.1). */
export const LOCAL_DEMO_PASSWORD = 'try-the-platform-locally';

/** One word for a POSIX shell, whatever it holds. */
const shellWord = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function firstRequest({ apiUrl, email, password }: { apiUrl: string; email: string; password: string }): string {
  const json = "-H 'Content-Type: application/json'";
  // A refused sign-in stops the line there: curl -f says why and prints nothing, so there is no token.
  const signIn =
    `curl -sSf -X POST ${apiUrl}/auth/token ${json} -d ${shellWord(JSON.stringify({ email, password }))}` +
    ` | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8") || "{}").access_token || ""'`;
  return (
    `TOKEN=$(${signIn}) && [ -n "$TOKEN" ] && ` +
    `curl -i -X POST ${apiUrl}/todos -H "Authorization: Bearer $TOKEN" ${json} -d '{"title":"hello"}'`
  );
}
