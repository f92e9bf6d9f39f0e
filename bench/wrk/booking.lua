-- Full booking with contention (issue #13): hold a random 30-minute slot of HF_STAFF, then book it
-- (POST /api/v1/bookings with Idempotency-Key and the verified guest session HF_SESSION of HF_EMAIL). Connections
-- race for the same slots: 409 on the hold (held or already booked) or on the booking is contention, counted,
-- and followed by a new hold. A booking per second is a 201 on "book".
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
    hf.enqueue("book", hf.book_request(hold_id, token))
  end
end
