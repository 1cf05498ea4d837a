/**
 * The standard host functions by set, named as the files beside this one group them. A Python
 * block's `host="dom events"` (docs/embed.md) picks sets by these names; the bridge bundle
 * needs only the names, not the functions. tests/js/host-sets.test.mjs checks them against
 * the files, so a function added there and not here fails the unit tests.
 */
export const HOST_SETS = Object.freeze({
  dom: [
    "dom_root", "dom_create", "dom_text", "dom_attr", "dom_prop", "dom_class_add", "dom_class_remove",
    "dom_append", "dom_remove", "dom_query", "dom_value", "dom_free",
  ],
  events: ["dom_on_click", "dom_await_click_any", "dom_wait_event", "dom_listen", "dom_on", "dom_off"],
  browser: ["upload_file", "pick_file", "download", "now", "sleep", "log", "storage_get", "storage_set", "json_dumps"],
});
