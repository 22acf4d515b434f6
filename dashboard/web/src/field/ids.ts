/** A random id for an action, a patrol or this phone (works without a secure context, unlike randomUUID). */
export function newClientId(prefix = ''): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return prefix + [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}
