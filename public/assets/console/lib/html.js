// Preact + htm: components written as tagged templates, no build step. Everything interpolated is
// escaped (text nodes and attributes), never parsed as HTML.
import { h, render, Fragment } from "../vendor/preact.js";
import { useCallback, useEffect, useMemo, useRef, useState } from "../vendor/preact-hooks.js";
import htm from "../vendor/htm.js";

export const html = htm.bind(h);
export { Fragment, render, useCallback, useEffect, useMemo, useRef, useState };
