-- wrk script for bench/commit.py: learners' commits with rising commitSequence numbers.
--   wrk -t2 -c50 -d10s -s bench/commit_wrk.lua http://127.0.0.1:PORT -- LEARNERS_FILE BODIES_FILE 2
-- LEARNERS_FILE: one request path per learner. BODIES_FILE: body prefixes, one per line, each ending just
-- before the commitSequence value (the body is the prefix, the number and "}"). The last argument is wrk's
-- thread count (-t).
-- wrk's request() does not know its connection, so each thread takes its share of the learners in turn;
-- with at least ten times as many learners as connections, a learner's previous commit has been answered
-- before its next one is sent. Any answer other than 200 is counted by status (409: out of order).

local threads = {}
local next_id = 0

local function lines(file_name)
  local found = {}
  for line in io.lines(file_name) do
    if line ~= "" then found[#found + 1] = line end
  end
  return found
end

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

function init(args)
  local learners_file, bodies_file, thread_count = args[1], args[2], tonumber(args[3])
  local all = lines(learners_file)
  prefixes = lines(bodies_file)
  paths, sequences = {}, {}
  local first = math.floor(os.time() * 1000) % 1000000000 -- rises across runs that share a learner
  for n = 1, #all do
    if (n - 1) % thread_count == id then
      paths[#paths + 1] = all[n]
      sequences[#sequences + 1] = first
    end
  end
  turn = 0
  statuses = {}
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  turn = turn % #paths + 1
  local sequence = sequences[turn] + 1
  sequences[turn] = sequence
  local body = prefixes[sequence % #prefixes + 1] .. sequence .. "}"
  return wrk.format("POST", paths[turn], headers, body)
end

function response(status, _headers, _body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, _requests)
  local merged, refused = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  for status, count in pairs(merged) do
    refused[#refused + 1] = string.format('"%d": %d', status, count)
  end
  io.write(string.format(
    'WRK-RESULT {"requests": %d, "seconds": %.3f, "p50_us": %d, "p99_us": %d, "socket_errors": %d, ' ..
      '"statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(refused, ", ")
  ))
end
