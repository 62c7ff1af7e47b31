/** The API group and version of every Borealis kind. */
export const GROUP = 'borealis.dev';
export const VERSION = 'v1';
export const API_VERSION = `${GROUP}/${VERSION}`;
