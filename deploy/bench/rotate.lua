-- wrk script: GET $BENCH_PATH; with $BENCH_TOKENS (a file, one access token per line) each request carries the
-- next token (per thread, starting at a different place), so a cache keyed by user sees many users.
-- done() prints one machine-readable line: rps p50_ms p99_ms errors requests.
local path = os.getenv("BENCH_PATH") or "/"
local file = os.getenv("BENCH_TOKENS")
local reqs = {}
local i = 0
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  if file and file ~= "" then
    for tok in io.lines(file) do
      reqs[#reqs + 1] = wrk.format("GET", path, { Authorization = "Bearer " .. tok })
    end
  else
    reqs[1] = wrk.format("GET", path)
  end
  -- threads start far apart in the token list
  i = ((tid or 0) * 7919) % #reqs
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
