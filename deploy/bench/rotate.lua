-- wrk script. Two ways to vary the requests, so that no single cached row is measured:
--   $BENCH_TOKENS (a file, one access token per line): GET $BENCH_PATH, each request with the next token;
--   $BENCH_DATA (a file): one request per line, METHOD<TAB>PATH<TAB>BODY (empty for none)<TAB>Header: value...,
--     sent in turn (each distinct line once until the file wraps).
-- Each thread starts at a different place in the list (with BENCH_DATA, threads take disjoint slices).
-- done() prints one machine-readable line: rps p50_ms p99_ms errors requests (errors include wrk's non-2xx/3xx count).
local path = os.getenv("BENCH_PATH") or "/"
local tokens = os.getenv("BENCH_TOKENS")
local data = os.getenv("BENCH_DATA")
local reqs = {}
local i = 0
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local function split(line)
  local out = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do out[#out + 1] = field end
  return out
end

function init(args)
  if data and data ~= "" then
    for line in io.lines(data) do
      local f = split(line)
      local headers = {}
      for h = 4, #f do
        local name, value = f[h]:match("^([^:]+): (.*)$")
        if name then headers[name] = value end
      end
      reqs[#reqs + 1] = wrk.format(f[1], f[2], headers, f[3] ~= "" and f[3] or nil)
    end
    -- two threads (wrk -t2): halves, so no line is sent twice before the file wraps
    i = (tid or 0) * math.floor(#reqs / 2)
  elseif tokens and tokens ~= "" then
    for tok in io.lines(tokens) do
      reqs[#reqs + 1] = wrk.format("GET", path, { Authorization = "Bearer " .. tok })
    end
    -- threads start far apart in the token list
    i = ((tid or 0) * 7919) % #reqs
  else
    reqs[1] = wrk.format("GET", path)
  end
end

function request()
  i = i % #reqs + 1
  return reqs[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.requests))
end
