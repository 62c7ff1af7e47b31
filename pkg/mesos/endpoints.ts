/** Where the Mesos v1 APIs live on a master, from whatever form of address an operator typed. */

export const SCHEDULER_API_PATH = '/api/v1/scheduler';
export const OPERATOR_API_PATH = '/api/v1';

/**
 * Accepts "host:port", "http://host:port", "https://host:port/" or a full endpoint URL, and
 * returns the endpoint URL. A URL whose path is already set is taken as given.
 */
export function endpointUrl(master: string, apiPath: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(master) ? master : `http://${master}`;
  const url = new URL(withScheme);
  if (url.pathname === '/' || url.pathname === '') url.pathname = apiPath;
  return url;
}
