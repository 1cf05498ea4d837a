/** Errors the embed layer raises: a `name` Python or the page reads as the kind of problem. */
import { pythonError } from "../bridge/errors.js";

/**
 * `BlockError` marks a problem with a block itself (its type, config, src, host, target).
 * @param {string} message
 */
export const blockError = (message) => pythonError("BlockError", message);
