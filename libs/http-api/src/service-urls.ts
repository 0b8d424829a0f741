/** Where a person reaches a service that listens on `HOST:PORT`: its API, its Swagger UI, its metrics. */
export function serviceUrls({ HOST, PORT }: { HOST: string; PORT: number }): { api: string; docs: string; metrics: string } {
  // A wildcard bind address is reached over loopback.
  const host = HOST === '0.0.0.0' || HOST === '::' ? 'localhost' : HOST.includes(':') ? `[${HOST}]` : HOST;
  const api = `http://${host}:${PORT}`;
  return { api, docs: `${api}/docs`, metrics: `${api}/metrics` };
}
