/** Errors the embed layer raises: a `name` Python or the page reads as the kind of problem. */

/**
 * An Error whose `name` is `name`: a host function's raises that Python exception, and
 * `BlockError` marks a problem with a block itself (its type, config, src, host, target).
 * @param {string} name
 * @param {string} message
 */
export function named(name, message) {
  return Object.assign(new Error(message), { name });
}

/** @param {string} message */
export const blockError = (message) => named("BlockError", message);
