// The code against its declared API: tsc (scripts/test) fails when the facade or a session's
// methods drift from bridge.d.ts, the hand-written declarations users type-check against.
// It checks names, arity and, where the JSDoc says them, types (see tsconfig.json's strictness).
import type { HostcallAPI, SessionMethods } from "../bridge.js";
import { Hostcall } from "./bridge/index.js";
import { Session } from "./bridge/session.js";

export const facade: HostcallAPI = Hostcall;
export const session: SessionMethods = new Session();
