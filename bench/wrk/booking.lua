-- Full booking with contention (issue #13): hold a random 30-minute slot of HF_STAFF, then book it
-- (POST /api/v1/bookings with Idempotency-Key and the verified guest session HF_SESSION of HF_EMAIL). Connections
-- race for the same slots: 409 on the hold (held or already booked) or on the booking is contention, counted,
-- and followed by a new hold. A booking per second is a 201 on "book".
package.path = os.getenv("HF_WRK_DIR") .. "/?.lua;" .. package.path
local hf = require("common")

hf.holds_then("book", hf.book_request)
