-- A mixed read/write GraphQL load for wrk (see bench/load/run): 95% reads of the kinds the
-- playground and visualization tools send, 5% writes. Each write document creates an entity and
-- deletes it again (mutation fields run in order), so the data size stays the same and memory
-- can be compared between the start and the end of a run.
--
-- Errors counted: any status other than 200, and any 200 whose body has "errors".

local token = os.getenv("GOVGRAPH_LOAD_TOKEN") or "load-token"
local write_share = tonumber(os.getenv("GOVGRAPH_LOAD_WRITES") or "0.05")
-- Distinguishes the entities of one wrk run from another's (the warm-up's, say).
local run = os.getenv("GOVGRAPH_LOAD_RUN") or "run"

local reads = {
  '{ path(from: "Montevideo Statement", via: ["1net"], to: "NETmundial") { length nodes { id label } relations { label kind } } }',
  '{ paths(from: "icann-ccwg-ig", to: "igf-2014-istanbul", k: 3) { length nodes { id } } }',
  '{ subgraph(roots: ["netmundial-2014"], depth: 2, limit: 60) { truncated nodes { id label kind } relations { source { id } target { id } kind } } }',
  '{ entity(ref: "onenet") { id label kind openness relations { label source { id } target { id } sources { document quote } } } }',
  '{ entities(search: "internet governance", first: 20) { totalCount edges { node { id label } } } }',
  '{ timeline(from: "2014", to: "2014") { startDate label kind } }',
  '{ stats { entities relations datasetVersion } }',
  '{ connections(a: "onenet", b: "netmundial-2014") { label kind sources { document } } }',
}

local function body(query)
  -- The queries hold no backslashes or control characters: quotes are all that need escaping.
  return '{"query":"' .. query:gsub('"', '\\"') .. '"}'
end

local read_bodies = {}
for i, query in ipairs(reads) do
  read_bodies[i] = body(query)
end

local threads = {}
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
  errors = 0
  writes = 0
  math.randomseed(id * 7919)
end

function request()
  local headers = { ["content-type"] = "application/json" }
  if math.random() < write_share then
    counter = counter + 1
    writes = writes + 1
    local slug = string.format("load-%s-t%d-%d", run, thread_id, counter)
    local query = 'mutation { created: createEntity(input: { id: "' .. slug .. '", label: "Load test ' .. slug ..
      '", kind: MEETING, openness: OPEN, startDate: "2014-04-23", sources: [{ document: "https://example.org/load", quote: "load" }] }) { id } ' ..
      'deleted: deleteEntity(id: "' .. slug .. '") }'
    headers["authorization"] = "Bearer " .. token
    return wrk.format("POST", "/graphql", headers, body(query))
  end
  return wrk.format("POST", "/graphql", headers, read_bodies[math.random(#read_bodies)])
end

function response(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    errors = errors + 1
    if errors <= 3 then
      io.stderr:write(string.format("error (status %d): %s\n", status, body:sub(1, 300)))
    end
  end
end

function done(summary, latency, requests)
  local total_errors, total_writes = 0, 0
  for _, thread in ipairs(threads) do
    total_errors = total_errors + thread:get("errors")
    total_writes = total_writes + thread:get("writes")
  end
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("writes %d\n", total_writes))
  io.write(string.format("graphql_errors %d\n", total_errors))
  io.write(string.format("socket_errors %d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("p50_ms %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("p99_ms %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("rps %.1f\n", summary.requests / (summary.duration / 1e6)))
end
