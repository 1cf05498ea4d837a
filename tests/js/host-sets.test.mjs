/** The host function sets `host="..."` picks (js/web/host-functions/sets.js) against the files that define them. */
import assert from "node:assert/strict";
import { test } from "node:test";

import { HandleTable } from "../../js/bridge/handles.js";
import { browserFunctions } from "../../js/web/host-functions/browser.js";
import { domFunctions } from "../../js/web/host-functions/dom.js";
import { eventFunctions } from "../../js/web/host-functions/events.js";
import { HOST_SETS } from "../../js/web/host-functions/sets.js";

test("each set names exactly the functions of its file", () => {
  // The factories only build closures: a stand-in root and queue are never touched here.
  const context = { handles: new HandleTable(), root: { ownerDocument: {} }, events: {} };
  const defined = {
    dom: domFunctions(context),
    events: eventFunctions(context),
    browser: browserFunctions(context),
  };
  assert.deepEqual(Object.keys(HOST_SETS).sort(), Object.keys(defined).sort());
  for (const [set, functions] of Object.entries(defined)) {
    assert.deepEqual([...HOST_SETS[set]].sort(), Object.keys(functions).sort(), `the ${set} set`);
  }
});
