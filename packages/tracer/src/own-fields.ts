/**
 * Sets `obj[key] = value` as an own data property. Plain assignment would call the `__proto__`
 * setter inherited from Object.prototype (replacing the object's prototype instead of adding a
 * field), so every object rebuilt from keys that came from a user or a document uses this.
 */
export function setOwn(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
