# Shell functions shared by scripts/bench and scripts/drill (sourced, not run). The sourcing script sets
# HF_LOG_TAG (the log lines' prefix) and PIDS=() (processes stopped on exit) before it calls them; admin and
# create_catalogue use $HF (the server's base URL) and $ADMIN_TOKEN.

log() { printf '[%s %s] %s\n' "${HF_LOG_TAG:-holdfast}" "$(date -u +%H:%M:%S)" "$*"; }

apt_install() {
  log "installing $*"
  if [ -z "${HOLDFAST_APT_UPDATED:-}" ]; then apt-get update -qq; export HOLDFAST_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# A port no one listens on, below the ephemeral range (as the tests' SparePorts), so wrk's and the servers' own
# outgoing connections cannot take it meanwhile.
spare_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 10000))
    if ! ss -Htln "sport = :$port" | grep -q .; then echo "$port"; return; fi
  done
  log "no spare port"; exit 1
}

wait_http() { # url, seconds
  local deadline=$(( $(date +%s) + $2 ))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ "$(date +%s)" -gt "$deadline" ]; then log "$1 did not answer within $2 s"; return 1; fi
    sleep 0.5
  done
}

# A private redis-server on loopback, in the background (its pid appended to PIDS and left in REDIS_PID), answering
# PING before this returns: port, directory (its log goes there), further redis-server arguments.
start_redis() {
  local port=$1 dir=$2; shift 2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --notify-keyspace-events Ex \
    --dir "$dir" --logfile "$dir/redis.log" "$@" &
  REDIS_PID=$!
  PIDS+=($REDIS_PID)
  for _ in $(seq 1 40); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.25; done
  redis-cli -p "$port" ping >/dev/null
}

# The packaged server in the background on 127.0.0.1 (its pid appended to PIDS and left in HF_PID): jar, port, log
# file, JVM flags (one word list), then NAME=value settings (README's configuration table). The admin token is
# $ADMIN_TOKEN; per-client limits see X-Forwarded-For, as behind a proxy.
start_holdfast() {
  local jar=$1 port=$2 logfile=$3 jvm=$4; shift 4
  # shellcheck disable=SC2086
  env PORT="$port" SERVER_ADDRESS=127.0.0.1 HOLDFAST_ADMIN_TOKEN="$ADMIN_TOKEN" HOLDFAST_DEMO_DATA=false \
    SERVER_FORWARD_HEADERS_STRATEGY=native "$@" java $jvm -jar "$jar" >"$logfile" 2>&1 &
  HF_PID=$!
  PIDS+=($HF_PID)
}

admin() { # method path [json]
  curl -fsS -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$HF$2"
}

# One UTC location (30-minute grid, 60 days ahead), one 30-minute service, <count> staff open 08:00-20:00 every day:
# sets LOCATION, SERVICE and STAFF (the staff ids).
create_catalogue() { # count
  local id
  LOCATION=$(admin POST /api/v1/admin/locations '{"name":"Bench salon","timeZone":"UTC","slotIntervalMinutes":30,"minNoticeMinutes":60,"bookingWindowDays":60,"cancelCutoffMinutes":120}' | jq -r .id)
  SERVICE=$(admin POST /api/v1/admin/services '{"name":"Cut","durationMinutes":30,"bufferBeforeMinutes":0,"bufferAfterMinutes":0,"priceCents":2500}' | jq -r .id)
  local hours
  hours=$(jq -cn '[("MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY","SATURDAY","SUNDAY") | {dayOfWeek: ., start: "08:00", end: "20:00"}]')
  STAFF=()
  for _ in $(seq 1 "$1"); do
    id=$(admin POST /api/v1/admin/staff "{\"name\":\"Staff $(( ${#STAFF[@]} + 1 ))\",\"locationId\":$LOCATION,\"serviceIds\":[$SERVICE]}" | jq -r .id)
    admin PUT "/api/v1/admin/staff/$id/working-hours" "$hours" >/dev/null
    STAFF+=("$id")
  done
}

# A verified guest session, as the tests get one: request a code, read it from the admin outbox, verify it.
# email, client address (X-Forwarded-For); sets HF_SESSION.
guest_session() {
  local email=$1 address=$2 code=
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -H "X-Forwarded-For: $address" \
    --data "{\"email\":\"$email\"}" "$HF/api/v1/auth/otp"
  for _ in $(seq 1 100); do
    code=$(admin GET "/api/v1/admin/outbox?to=$email" | jq -r '.[0].text // ""' | grep -oE 'Your code is [0-9]{6}' | grep -oE '[0-9]{6}' || true)
    [ -n "$code" ] && break
    sleep 0.2
  done
  [ -n "$code" ] || { log "no code mail in the outbox"; exit 1; }
  HF_SESSION=$(curl -fsS -H 'Content-Type: application/json' -H "X-Forwarded-For: $address" \
    --data "{\"email\":\"$email\",\"code\":\"$code\"}" "$HF/api/v1/auth/otp/verify" | jq -r .sessionToken)
}

# The unchanged polls of some cached days at their current versions: base url, the days' availability paths (comma
# separated, as bench/wrk/get.lua takes them), their service id; prints the poll paths, comma separated. Read anew
# before every poll run: a failover and failback (Redis missing its command timeout on a loaded machine) raises every
# version, and polls of the versions before it would all be changed ones, not the unchanged poll measured.
unchanged_polls() {
  local base=$1 service=$3 path version polls=()
  for path in ${2//,/ }; do
    version=$(curl -fsS "$base$path" | jq -r .version)
    path=${path/\/api\/v1\/availability/\/api\/v1\/live\/poll}
    polls+=("${path/&serviceId=$service/}&since=$version")
  done
  local IFS=,
  echo "${polls[*]}"
}
