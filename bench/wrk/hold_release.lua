-- Hold + release pairs (issue #13): POST /api/v1/holds of one 30-minute slot at a random start of HF_STAFF,
-- then DELETE /api/v1/holds/{holdId} with its Hold-Token; then the next pair. A refused hold (409: another
-- connection holds that time) is counted and followed by a new hold. Each hold has its own clientId and
-- Idempotency-Key. A pair per second is a 204 release.
package.path = os.getenv("HF_WRK_DIR") .. "/?.lua;" .. package.path
local hf = require("common")

local staff, service

function init(args)
  hf.start_thread()
  staff = hf.list("HF_STAFF")
  service = hf.env("HF_SERVICE")
end

function request()
  local queued = hf.dequeue()
  if queued then return queued end
  return hf.sent("hold", hf.hold_request(staff[math.random(#staff)], service, hf.unique("c")))
end

function response(status, headers, body)
  local kind = hf.answered(status, body)
  if kind == "hold" and status == 201 then
    local hold_id, token = hf.hold_of(body)
    hf.enqueue("release", hf.release_request(hold_id, token))
  end
end
