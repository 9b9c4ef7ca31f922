-- wrk script: POST one JSON body per line of a file, each line once (or cycling).
-- wrk -s post_bodies.lua URL -- <body file> <path> <bearer token or -> <threads> <cycle 0|1>
-- Thread t of T sends lines t+1, t+1+T, t+1+2T, ... so every body is sent by one thread once.
-- Sending each line once (WRK_ONCE=1 in the environment): when a thread has a 2xx answer for
-- each of its lines it prints "WRK_THREAD_DONE" and stops, and bench/loadgen.py interrupts wrk
-- (SIGINT), so the duration is the time the lines took (wrk would otherwise sleep out -d).
-- done() prints "WRK_RESULT {json}".

local reqs, n, at, step, cycle = {}, 0, 0, 1, false
local mine, answered = 0, 0
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  local path, token = args[2], args[3]
  step = tonumber(args[4])
  cycle = args[5] == "1"
  local headers = { ["Content-Type"] = "application/json" }
  if token ~= "-" then
    headers["Authorization"] = "Bearer " .. token
  end
  for line in io.lines(args[1]) do
    if #line > 0 then
      n = n + 1
      reqs[n] = wrk.format("POST", path, headers, line)
    end
  end
  at = tid + 1 - step
  if n > tid then
    mine = math.floor((n - tid - 1) / step) + 1
  end
end

local verified = false

function request()
  if tid == 0 and not verified then
    -- wrk calls thread 0's request() once before sending, to check it: that one is not sent
    verified = true
    return reqs[1]
  end
  at = at + step
  if at > n then
    if not cycle then
      -- every line is sent; until the last answers are in, repeat the last one (a duplicate:
      -- the service answers 4xx, which wrk counts apart as a non-2xx response)
      return reqs[n]
    end
    at = ((at - 1) % n) + 1
  end
  return reqs[at]
end

local told = false

if os.getenv("WRK_ONCE") == "1" then
  function response(status, headers, body)
    if status >= 300 and not told and answered < mine then
      -- the first refusal before the lines ran out (afterwards the repeats are refused): shown
      told = true
      io.write("WRK_FIRST_REFUSAL " .. status .. " " .. string.sub(body or "", 1, 300) .. "\n")
      io.stdout:flush()
    end
    if status < 300 then
      answered = answered + 1
      if answered == mine then
        io.write("WRK_THREAD_DONE\n")
        io.stdout:flush()
        wrk.thread:stop()
      end
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean
  ))
end
