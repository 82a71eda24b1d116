/** Value and graph names print bare when they are simple, JSON-quoted otherwise. */
const BARE = /^[A-Za-z0-9_.$]+$/;
export const formatName = (name: string): string => (BARE.test(name) ? name : JSON.stringify(name));
