// Feeds `sequencing` settings to scorm-again's real Scorm2004API in Node and plays steps on it.
// Usage: node scorm_again_runner.mjs <path to scorm-again ESM scorm2004.js>  (case JSON on stdin)
// Case: {"sequencing": {...}, "steps": [{"do": "initialize"} | {"do": "valid", "request", "target"?} |
//        {"do": "navigate", "request", "target"?} | {"do": "set", "element", "value"} | {"do": "terminate"} |
//        {"do": "reset"}]}, or a list of such cases (one API each).
// Prints {"tree": [ids depth first], "steps": [{"result", "error", "current"}], "failure": null | text}
// per case (a list for a list). A constructor that throws is reported as the case's failure.
import { pathToFileURL } from "node:url";

const [, , libraryPath] = process.argv;
const { Scorm2004API } = await import(pathToFileURL(libraryPath).href);

let input = "";
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);

// scorm-again logs deliveries with console.log; keep stdout for our one JSON answer.
console.log = () => {};
console.info = () => {};
console.debug = () => {};

const validElement = (step) =>
  step.target ? `adl.nav.request_valid.${step.request}.{target=${step.target}}` : `adl.nav.request_valid.${step.request}`;

function play(testCase) {
  let api;
  try {
    api = new Scorm2004API({ logLevel: 5, autocommit: false, sequencing: testCase.sequencing });
  } catch (error) {
    return { tree: [], steps: [], failure: `constructor threw: ${error && error.message}` };
  }
  const tree = [];
  const visit = (activity) => {
    tree.push(activity.id);
    for (const kid of activity.children) visit(kid);
  };
  const root = api.adl.sequencing.activityTree.root;
  if (root) visit(root);

  const current = () => api.adl.sequencing.getCurrentActivity()?.id ?? null;
  const actions = {
    initialize: () => api.Initialize(""),
    terminate: () => api.Terminate(""),
    // What the player does between SCOs: a fresh run-time data model, the sequencing state kept.
    reset: () => api.reset(),
    set: (step) => api.SetValue(step.element, step.value),
    valid: (step) => api.GetValue(validElement(step)),
    navigate: (step) => api.processNavigationRequest(step.request, step.target),
  };

  const steps = [];
  for (const step of testCase.steps ?? []) {
    let result;
    try {
      result = actions[step.do](step);
    } catch (error) {
      result = `threw: ${error && error.message}`;
    }
    steps.push({ result: result ?? null, error: String(api.GetLastError()), current: current() });
  }
  return { tree, steps, failure: null };
}

const answer = Array.isArray(request) ? request.map(play) : play(request);
process.stdout.write(JSON.stringify(answer));
