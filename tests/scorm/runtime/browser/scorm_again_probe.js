// Asks scorm-again (the browser run-time the player uses) whether it accepts SetValue calls, one fresh API per
// case. stdin: [{"version": "1.2"|"2004", "setup": [[element, value], ...], "element": ..., "value": ...}, ...]
// stdout: [{"setup": [[element, code], ...] (refused setup calls), "result": "true"|"false", "code": "0"|...}, ...]
"use strict";
const path = require("path");
global.window = global;
require(path.resolve(process.argv[2], "scorm-again/dist/scorm-again.js"));

function probe(input) {
  const is12 = input.version === "1.2";
  const api = new (is12 ? global.Scorm12API : global.Scorm2004API)({ logLevel: 5, autocommit: false });
  is12 ? api.LMSInitialize("") : api.Initialize("");
  const set = (element, value) => (is12 ? api.LMSSetValue(element, value) : api.SetValue(element, value));
  const lastError = () => String(is12 ? api.LMSGetLastError() : api.GetLastError());
  const setup = [];
  for (const [element, value] of input.setup || []) {
    if (set(element, value) !== "true") setup.push([element, lastError()]);
  }
  let result;
  try {
    result = String(set(input.element, input.value));
  } catch (error) {
    return { setup, result: "throws", code: String(error && error.message) };
  }
  return { setup, result, code: result === "true" ? "0" : lastError() };
}

const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map(probe)));
