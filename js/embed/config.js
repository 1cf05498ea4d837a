/**
 * A session's configuration as JSON (docs/embed.md, *Configuration*): the `config` attribute
 * of a block or of the bridge's own script tag, written inline (`config='{"limits": ...}'`) or
 * as the URL of a JSON file. Its keys are init()'s options (docs/api.md); init checks them.
 */
import { blockError } from "./block-error.js";
import { fetchText } from "./source.js";

/**
 * The configuration `element` names, or undefined when it has no `config` attribute; rejects
 * with an Error saying what is wrong (malformed JSON, not an object, a URL that fails).
 * @param {Element} element
 * @returns {Promise<Record<string, unknown> | undefined>}
 */
export async function configOf(element) {
  const value = element.getAttribute("config")?.trim();
  if (value === undefined) return undefined;
  if (value.startsWith("{")) return parse(value, "the config attribute");
  const url = new URL(value, document.baseURI).href;
  return parse(await fetchText(url, "config"), `config ${url}`);
}

function parse(text, what) {
  let config;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw blockError(`${what} is not valid JSON: ${error.message}`);
  }
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw blockError(`${what} must be a JSON object of init() options, like {"limits": {"timeoutMs": 5000}}`);
  }
  return config;
}
